package pipe

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"

	"github.com/uvpipe/uvpipe/uv"
)

// bindPath binds a new pipe to the named pipe path. A name another server
// holds is EADDRINUSE (libuv makes the first instance with
// FILE_FLAG_FIRST_PIPE_INSTANCE); nothing is left behind by a server that is
// gone, since a named pipe goes away with its last handle.
func (c ServerConfig) bindPath(path string) (*uv.Pipe, error) { return c.bind(path) }

// applyMode: a named pipe has no file mode.
func applyMode(string, os.FileMode) error {
	return unsupported("ServerConfig.Mode (chmod of a named pipe)")
}

// boundAddr is the server's address: the pipe name it listens on.
func boundAddr(_ *uv.Pipe, addr *net.UnixAddr) *net.UnixAddr { return addr }

// listenName is the named pipe Listen binds for path (PipeName), or a
// fresh one for an empty path.
func listenName(path string) string {
	if path == "" {
		var rnd [8]byte
		rand.Read(rnd[:])
		return fmt.Sprintf(`%suvpipe-%d-%d-%s`, pipePrefix, os.Getpid(), pairSeq.Add(1), hex.EncodeToString(rnd[:]))
	}
	return PipeName(path)
}

// dialName is the named pipe Dial connects to for path (PipeName).
func dialName(path string) string { return PipeName(path) }
