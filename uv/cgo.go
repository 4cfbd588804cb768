package uv

// How package uv finds libuv. By default it links the static, position-
// independent libuv that ./build.sh builds into build/ at the top of the
// module; with the build tag system_libuv it links the system's libuv through
// pkg-config instead (Debian: libuv1-dev), whichever release that is: the
// private fast paths are compiled only for the releases private.h names.
// The build tag uvpipe_public leaves them out; the build tag uvpipe_portable
// makes the package take, on Linux too, the path it takes where there is no
// epoll (macOS, the BSDs): the leader polls libuv's backend fd with poll(2)
// and every wake-up runs a pass of the loop. For Windows (GOOS=windows, cgo
// with mingw-w64) it links the libuv that scripts/windows-stage.sh builds
// into build-windows/, and the Windows libraries libuv needs; the public
// path only (private.h).

/*
#cgo !system_libuv,!windows CFLAGS: -I${SRCDIR}/../build/include
#cgo !system_libuv,!windows LDFLAGS: -L${SRCDIR}/../build/lib -luv -lpthread -ldl -lrt
#cgo windows CFLAGS: -I${SRCDIR}/../build-windows/include
#cgo windows LDFLAGS: -L${SRCDIR}/../build-windows/lib -luv -lpsapi -luser32 -ladvapi32 -liphlpapi -luserenv -lws2_32 -ldbghelp -lole32 -lshell32
#cgo system_libuv pkg-config: libuv
#cgo uvpipe_public CFLAGS: -DUVPIPE_PUBLIC_ONLY
#cgo uvpipe_portable CFLAGS: -DUVPIPE_PORTABLE_POLLER
#cgo CFLAGS: -O2 -Wall -Wno-unused-function
#include "shim.h"
*/
import "C"
