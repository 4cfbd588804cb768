package pipe

import (
	"fmt"

	"github.com/uvpipe/uvpipe/uv"
)

// Config configures a pipe. Its zero value is bare-pipe's defaults: a 64 KiB
// read buffer, half-open allowed, no IPC, the default loop.
type Config struct {
	// ReadBufferSize is the size of the buffer libuv reads into while no
	// Read waits (data for an event handler, or arriving between Reads;
	// default 65536), and the most one Read or ReadHandles returns (bare-
	// pipe's chunk size): a Read that waits when data arrives lends libuv
	// its own buffer, up to this size.
	ReadBufferSize int

	// NoHalfOpen ends the writing side as soon as the peer ends its own
	// (bare-pipe's allowHalfOpen: false). By default a pipe stays writable
	// after reading io.EOF, as *net.UnixConn does.
	NoHalfOpen bool

	// IPC makes the pipe able to send and receive handles. It needs a
	// bidirectional unix socket.
	IPC bool

	// Loop is the uv loop the pipe runs on; nil means uv.Default().
	Loop *uv.Loop
}

func (c Config) loop() *uv.Loop {
	if c.Loop == nil {
		return uv.Default()
	}
	return c.Loop
}

// maxReadBufferSize is the largest read buffer, as bare-pipe (0x7fffffff).
const maxReadBufferSize = 1<<31 - 1

// check reports a configuration that cannot work.
func (c Config) check() error {
	if c.ReadBufferSize < 0 || c.ReadBufferSize > maxReadBufferSize {
		return fmt.Errorf("pipe: ReadBufferSize %d is out of range (0 for the default, up to %d)", c.ReadBufferSize, maxReadBufferSize)
	}
	return nil
}

// newPipe makes the uv pipe handle for c.
func (c Config) newPipe() (*uv.Pipe, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	return uv.NewPipe(c.loop(), c.IPC, c.ReadBufferSize)
}
