package pipe

import "github.com/uvpipe/uvpipe/uv"

// Config configures a pipe. Its zero value is bare-pipe's defaults: a 64 KiB
// read buffer, half-open allowed, no IPC, the default loop.
type Config struct {
	// ReadBufferSize bounds each read from the socket (default 65536).
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

// newPipe makes the uv pipe handle for c.
func (c Config) newPipe() (*uv.Pipe, error) {
	return uv.NewPipe(c.loop(), c.IPC, c.ReadBufferSize)
}
