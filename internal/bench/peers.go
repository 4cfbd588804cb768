//go:build !windows

package bench

import (
	"io"
	"net"
	"os"

	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/pipe"
)

// peerFD is the fd a peer finds its end of the socket pair on.
const peerFD = 3

// chunk is the size of a throughput write, and of the reads at both ends.
const chunk = 64 << 10

// Peers are what a peer process runs, by name; each returns the process's
// exit code.
var Peers = map[string]func() int{
	"raw-echo":        rawEcho,
	"unixconn-echo":   unixConnEcho,
	"pipe-echo":       pipeEcho,
	"pipe-event-echo": pipeEventEcho,
	"raw-sink":        rawSink,
	"pipe-sink":       pipeSink,
	"raw-handles":     rawHandleSink,
	"pipe-handles":    pipeHandleSink,

	"neighbour-host":   neighbourHost,
	"neighbour-client": neighbourClient,
}

func peerPipe(ipc bool) (*pipe.Pipe, error) { return pipe.Config{IPC: ipc}.Open(peerFD) }

func rawEcho() int {
	buf := make([]byte, chunk)
	for {
		n, err := FD(peerFD).Read(buf)
		if err != nil {
			return 0
		}
		if _, err := FD(peerFD).Write(buf[:n]); err != nil {
			return 1
		}
	}
}

func unixConnEcho() int {
	c, err := net.FileConn(os.NewFile(peerFD, "peer"))
	if err != nil {
		return 1
	}
	defer c.Close()
	io.Copy(c, c)
	return 0
}

func pipeEcho() int {
	p, err := peerPipe(false)
	if err != nil {
		return 1
	}
	defer p.Close()
	if _, err := io.Copy(p, p); err != nil {
		return 1
	}
	return 0
}

func pipeEventEcho() int {
	p, err := peerPipe(false)
	if err != nil {
		return 1
	}
	done := make(chan struct{})
	p.OnRead(func(data []byte, err error) {
		if err != nil {
			close(done)
			return
		}
		p.Write(data) // the reply, from inside the read callback
	})
	<-done
	p.Close()
	return 0
}

func rawSink() int {
	buf := make([]byte, chunk)
	for {
		if _, err := FD(peerFD).Read(buf); err != nil {
			break
		}
	}
	unix.Write(peerFD, []byte{1})
	return 0
}

func pipeSink() int {
	p, err := peerPipe(false)
	if err != nil {
		return 1
	}
	defer p.Close()
	buf := make([]byte, chunk) // as large as the raw sink's reads
	for {
		if _, err := p.Read(buf); err != nil {
			break
		}
	}
	p.Write([]byte{1})
	return 0
}

func rawHandleSink() int {
	buf := make([]byte, 16)
	oob := make([]byte, unix.CmsgSpace(4))
	for {
		n, oobn, _, _, err := unix.Recvmsg(peerFD, buf, oob, unix.MSG_CMSG_CLOEXEC)
		if err != nil || n == 0 {
			break
		}
		msgs, _ := unix.ParseSocketControlMessage(oob[:oobn])
		for _, m := range msgs {
			fds, _ := unix.ParseUnixRights(&m)
			for _, fd := range fds {
				unix.Close(fd)
			}
		}
	}
	unix.Write(peerFD, []byte{1})
	return 0
}

func pipeHandleSink() int {
	p, err := peerPipe(true)
	if err != nil {
		return 1
	}
	defer p.Close()
	buf := make([]byte, 16)
	for {
		_, hs, err := p.ReadHandles(buf)
		for _, h := range hs {
			h.Close()
		}
		if err != nil {
			break
		}
	}
	p.Write([]byte{1})
	return 0
}
