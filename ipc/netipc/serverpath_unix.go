//go:build !windows

package netipc

import (
	"os"
)

// DefaultServerPath is the socket path a net-ipc or @isdk client uses with
// no options: the temporary directory chosen as Node's os.tmpdir() chooses
// it (TMPDIR, then TMP, then TEMP, then /tmp, without a trailing slash)
// followed by "/isdk-ipc".
func DefaultServerPath() string { return tempDir() + "/isdk-ipc" }

// ResolvePath is where a server listens, or a client dials, for path, as
// @isdk/ipc-server resolves it: "" is DefaultServerPath; a path that
// begins with neither '/' nor '.' (a name such as "myapp") is taken in the
// temporary directory (TMPDIR, TMP, TEMP, /tmp, as DefaultServerPath);
// "/myapp", "./myapp" and "../myapp" are used as they are. On Linux a path
// beginning with '@' stays an abstract socket name (no file). (net-ipc
// 2.2.2 uses every path as it is, so a bare name is in its working
// directory; give it the resolved path.) On Windows paths are named pipes'
// names instead (serverpath_windows.go).
func ResolvePath(path string) string {
	switch {
	case path == "":
		return DefaultServerPath()
	case path[0] == '/' || path[0] == '.' || path[0] == '@' || path[0] == 0:
		return path
	}
	return tempDir() + "/" + path
}

// tempDir is Node's os.tmpdir() on unix: TMPDIR, then TMP, then TEMP, then
// /tmp, without a trailing slash.
func tempDir() string {
	dir := "/tmp"
	for _, k := range []string{"TMPDIR", "TMP", "TEMP"} {
		if v := os.Getenv(k); v != "" {
			dir = v
			break
		}
	}
	if len(dir) > 1 && dir[len(dir)-1] == '/' {
		dir = dir[:len(dir)-1]
	}
	return dir
}

// fileMode is the mode the socket file at path is given: none for an
// abstract socket, which has no file.
func fileMode(path string, mode os.FileMode) os.FileMode {
	if len(path) > 0 && (path[0] == '@' || path[0] == 0) {
		return 0
	}
	return mode
}
