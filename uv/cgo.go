package uv

// How package uv finds libuv. By default it links the static, position-
// independent libuv that ./build.sh builds into build/ at the top of the
// module; with the build tag system_libuv it links the system's libuv through
// pkg-config instead (Debian: libuv1-dev). For Windows (GOOS=windows, cgo
// with mingw-w64) it links the libuv that scripts/windows-stage.sh builds
// into build-windows/, and the Windows libraries libuv needs.

/*
#cgo !system_libuv,!windows CFLAGS: -I${SRCDIR}/../build/include
#cgo !system_libuv,!windows LDFLAGS: -L${SRCDIR}/../build/lib -luv -lpthread -ldl -lrt
#cgo windows CFLAGS: -I${SRCDIR}/../build-windows/include
#cgo windows LDFLAGS: -L${SRCDIR}/../build-windows/lib -luv -lpsapi -luser32 -ladvapi32 -liphlpapi -luserenv -lws2_32 -ldbghelp -lole32 -lshell32
#cgo system_libuv pkg-config: libuv
#cgo CFLAGS: -O2 -Wall -Wno-unused-function
#include "shim.h"
*/
import "C"
