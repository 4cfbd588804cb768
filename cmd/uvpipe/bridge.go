package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"

	"github.com/uvpipe/uvpipe/pipe"
)

// bridgeAbout is what the help of listen and connect says about the bridge.
const bridgeAbout = ` What comes on stdin is sent, and the end of stdin
half-closes the socket; what the peer sends goes to stdout, and the command
exits once both directions are done, or once the socket has ended and the peer
has closed it entirely. PATH is a file name, or on Linux @name for an abstract
socket.`

// bridgeFlags adds the flags listen and connect share: -ipc, and -v, which
// reports what verbose says on stderr.
func bridgeFlags(f *flags, verbose string) (ipc, v *bool) {
	ipc = f.Bool("ipc", false, "make the connection an IPC pipe and report each handle that arrives on stderr (then close it)")
	v = f.Bool("v", false, "report on stderr "+verbose)
	return ipc, v
}

// bridgeEnds are the local ends a bridge copies between: what it reads to
// send (stdin), where it writes what it receives (stdout), and what it does
// with the handles that arrive on an IPC pipe.
type bridgeEnds struct {
	in       io.Reader
	out      io.Writer
	endOut   func() // called once the socket has ended, so out's reader sees EOF
	onHandle func(h *pipe.ReceivedHandle)
	stop     <-chan struct{} // closed to end the bridge at once (a signal came); may be nil
}

// stdEnds are stdin and stdout, with handles reported on stderr and closed.
func stdEnds() bridgeEnds {
	return bridgeEnds{in: os.Stdin, out: os.Stdout, endOut: endStdout, onHandle: reportHandle}
}

// bridge copies ends.in to p and p to ends.out, as nc -U does: the end of
// the input half-closes the socket (CloseWrite), the end of the socket ends
// the output. It returns once both directions are done, or once the socket
// has ended and the peer is gone entirely (it will read nothing more of the
// input), or on the first error, or once ends.stop is closed. It does not
// close p.
func bridge(p *pipe.Pipe, ends bridgeEnds) error {
	received := make(chan error, 1) // the socket-to-output direction's end
	sent := make(chan error, 1)     // the input-to-socket direction's end
	go func() { received <- receive(p, ends) }()
	go func() { sent <- send(p, ends.in) }()

	var gone <-chan struct{} // closed once the peer has gone entirely
	stopWatch := make(chan struct{})
	defer close(stopWatch)
	receiving, sending := true, true
	for receiving || sending {
		select {
		case err := <-received:
			receiving = false
			if err != nil {
				return err
			}
			if ends.endOut != nil {
				ends.endOut()
			}
			if sending {
				gone = watchHangup(p, stopWatch)
			}
		case err := <-sent:
			sending = false
			if errors.Is(err, syscall.EPIPE) && receiving {
				// The peer stopped reading: it is closing or gone. Whether
				// that is an orderly end depends on how its side ends.
				if rerr := <-received; rerr != nil {
					return rerr
				}
				receiving = false
				err = nil
			}
			if err != nil {
				return err
			}
		case <-gone:
			return nil
		case <-ends.stop:
			return nil
		}
	}
	return nil
}

// receive copies what arrives on p to ends.out until the socket ends (nil) or
// fails. Handles that arrive on an IPC pipe go to ends.onHandle.
func receive(p *pipe.Pipe, ends bridgeEnds) error {
	buf := make([]byte, 64<<10)
	for {
		var (
			n   int
			hs  []*pipe.ReceivedHandle
			err error
		)
		if p.IPC() {
			n, hs, err = p.ReadHandles(buf)
		} else {
			n, err = p.Read(buf)
		}
		for _, h := range hs {
			ends.onHandle(h)
		}
		if n > 0 {
			if _, werr := ends.out.Write(buf[:n]); werr != nil {
				return fmt.Errorf("writing what the socket sent: %w", werr)
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading the socket: %w", err)
		}
	}
}

// send copies in to p, then half-closes p.
func send(p *pipe.Pipe, in io.Reader) error {
	buf := make([]byte, 64<<10)
	for {
		n, err := in.Read(buf)
		if n > 0 {
			if _, werr := p.Write(buf[:n]); werr != nil {
				return fmt.Errorf("writing to the socket: %w", werr)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("reading the input: %w", err)
		}
	}
	if err := p.CloseWrite(); err != nil && !errors.Is(err, syscall.EPIPE) && !errors.Is(err, syscall.ENOTCONN) {
		return fmt.Errorf("half-closing the socket: %w", err)
	}
	return nil
}
