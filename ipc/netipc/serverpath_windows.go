package netipc

import (
	"os"

	"github.com/uvpipe/uvpipe/pipe"
)

// DefaultServerPath is the named pipe a @isdk/ipc-server client with no
// options connects to on Windows: its default path "isdk-ipc" mapped as
// ResolvePath maps it, \\.\pipe\isdk-ipc. (A net-ipc client's default,
// "net-ipc", is \\.\pipe\net-ipc.)
func DefaultServerPath() string { return pipe.PipeName("isdk-ipc") }

// ResolvePath is the named pipe a server listens on, or a client dials,
// for path on Windows, as net-ipc and @isdk/ipc-server map a path there
// (pipe.PipeName, the mapping package pipe's Listen and Dial apply):
// \\.\pipe\ followed by the path without its leading '/' and with every
// other '/' turned into '-', so "/myapp" and "myapp" are both
// \\.\pipe\myapp and "/tmp/app.sock" is \\.\pipe\tmp-app.sock. "" is
// DefaultServerPath. A path that is already a pipe name (beginning with
// \\.\pipe\ or \\?\pipe\) is used as it is; the JavaScript libraries
// would prefix it again, so give them the name without the prefix.
func ResolvePath(path string) string {
	if path == "" {
		return DefaultServerPath()
	}
	return pipe.PipeName(path)
}

// fileMode is the mode a server's socket file is given: none on Windows,
// where a named pipe is no file and pipe.ServerConfig refuses a mode.
func fileMode(string, os.FileMode) os.FileMode { return 0 }
