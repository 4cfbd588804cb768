package uv

/*
#include "shim.h"
#include "private.h"
*/
import "C"

import "os"

// Private fast paths. Package uv keeps to libuv's public API, except for a
// few fast paths compiled only for the libuv releases whose private layout
// they were written against (private.h, which names them; the build tag
// uvpipe_public leaves them out): the single-fd dispatch and the check for
// watchers waiting to be registered, which spare a pass of the loop per
// wake-up; writes that lend libuv the caller's buffer instead of copying it;
// the exact count of what a failed write had written; and taking a scratch
// handle's or a listener's fd and path without a duplicate. Each has a
// public path beside it, chosen when the fast paths are not compiled or when
// the environment variable UVPIPE_PRIVATE is "0" at start.

func init() {
	if os.Getenv("UVPIPE_PRIVATE") == "0" {
		C.uvp_set_private(0)
	}
}

// PrivateFastPaths reports whether the private fast paths are in use: they
// are compiled for this libuv and UVPIPE_PRIVATE did not turn them off.
func PrivateFastPaths() bool { return C.uvp_private_on != 0 }

// dispatching reports whether a leader can hand a single ready fd to its
// watcher without a pass (the private fast path, on epoll).
func dispatching() bool { return C.uvp_dispatching() != 0 }
