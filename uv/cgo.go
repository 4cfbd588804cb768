package uv

// How package uv finds libuv. By default it links the static, position-
// independent libuv that ./build.sh builds into build/ at the top of the
// module; with the build tag system_libuv it links the system's libuv through
// pkg-config instead (Debian: libuv1-dev).

/*
#cgo !system_libuv CFLAGS: -I${SRCDIR}/../build/include
#cgo !system_libuv LDFLAGS: -L${SRCDIR}/../build/lib -luv -lpthread -ldl -lrt
#cgo system_libuv pkg-config: libuv
#cgo CFLAGS: -O2 -Wall -Wno-unused-function
#include "shim.h"
*/
import "C"
