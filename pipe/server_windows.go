package pipe

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"

	"github.com/uvpipe/uvpipe/uv"
)

// defaultPipeInstances is the pipe instances a server keeps waiting for
// clients on Windows when Backlog is 0: each is a pipe handle held from
// Listen on, so fewer than the unix backlog's 511.
const defaultPipeInstances = 128

// bindPath binds a new pipe to the named pipe path. A name another server
// holds is EADDRINUSE (refuseLiveServer, then libuv's
// FILE_FLAG_FIRST_PIPE_INSTANCE); nothing is left behind by a server that is
// gone, since a named pipe goes away with its last handle. A named pipe
// server has no listen queue: Backlog (defaultPipeInstances when 0) is how
// many instances of the pipe wait for clients (uv.Pipe.SetPendingInstances;
// libuv's own default, 4, made a crowd of clients that dial at once wait
// for instances one by one with WaitNamedPipe).
func (c ServerConfig) bindPath(path string) (*uv.Pipe, error) {
	if err := refuseLiveServer(path); err != nil {
		return nil, err
	}
	l, err := uv.NewPipe(c.loop(), false, 0)
	if err != nil {
		return nil, err
	}
	n := c.Backlog
	if n <= 0 {
		n = defaultPipeInstances
	}
	if err := l.SetPendingInstances(n); err != nil {
		l.Close()
		return nil, err
	}
	if err := l.Bind(path); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

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
