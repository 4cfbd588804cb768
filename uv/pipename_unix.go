//go:build !windows

package uv

/*
#include "shim.h"
*/
import "C"

import "golang.org/x/sys/unix"

// sunPathLen is the room for a name in a sockaddr_un.
const sunPathLen = len(unix.RawSockaddrUnix{}.Path)

// checkName refuses a path that does not fit in a sockaddr_un (with its NUL;
// an abstract name has none), which libuv 1.44 would silently truncate
// into another path.
func checkName(call, path string) error {
	if len(path) > sunPathLen || (len(path) == sunPathLen && !abstractName(path)) {
		return check(call, -C.int(unix.ENAMETOOLONG))
	}
	return nil
}
