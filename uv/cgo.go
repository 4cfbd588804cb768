package uv

// How package uv finds libuv. By default it links the static, position-
// independent libuv that ./build.sh builds into build/ at the top of the
// module; with the build tag system_libuv it links the system's libuv through
// pkg-config instead (Debian: libuv1-dev), whichever release that is: the
// private fast paths are compiled only for the releases private.h names.
// The build tag uvpipe_public leaves them out; the build tag uvpipe_portable
// makes the package take, on Linux too, the path it takes where there is no
// epoll (macOS, the BSDs): the leader polls libuv's backend fd with poll(2)
// and every wake-up runs a pass of the loop.

/*
#cgo !system_libuv CFLAGS: -I${SRCDIR}/../build/include
#cgo !system_libuv LDFLAGS: -L${SRCDIR}/../build/lib -luv -lpthread -ldl -lrt
#cgo system_libuv pkg-config: libuv
#cgo uvpipe_public CFLAGS: -DUVPIPE_PUBLIC_ONLY
#cgo uvpipe_portable CFLAGS: -DUVPIPE_PORTABLE_POLLER
#cgo CFLAGS: -O2 -Wall -Wno-unused-function
#include "shim.h"
*/
import "C"
