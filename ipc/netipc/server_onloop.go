package netipc

import (
	"bufio"
	"errors"
	"io"
	"net"
	"sync"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
)

// loopServing is the state of a connection served in the event style
// (ServerOptions.HandleOnLoop): its packets are decoded and handled inside
// libuv's read callback, on the loop's thread, and its goroutine only waits
// for the end.
type loopServing struct {
	split    wire.Splitter
	dead     bool // the stream failed or broke: later reads are ignored
	once     sync.Once
	readDone chan struct{} // closed when the read side ends
	endSent  chan struct{} // closed when the server sent END
}

// serveOnLoop switches an established connection to the event style: the
// bytes br already holds are handled first, then each read's as it comes.
// It returns when the client has gone, the stream failed, or the client
// did not close within the connection timeout after END.
func (c *ServerConn) serveOnLoop(br *bufio.Reader) {
	ls := &loopServing{split: wire.Splitter{Max: c.srv.opts.MaxPacketSize},
		readDone: make(chan struct{}), endSent: make(chan struct{})}
	c.idMu.Lock()
	c.loop = ls
	ended := c.endMsgSent
	c.idMu.Unlock()
	if ended {
		close(ls.endSent)
	}
	held, _ := br.Peek(br.Buffered())
	c.direct.Store(true)
	err := readOnLoop(c.pipe, held, func(data []byte, err error) { c.onRead(ls, data, err) })
	if err != nil {
		return
	}
	select {
	case <-ls.readDone:
		return
	case <-c.out.cut:
		c.reportCut()
		return
	case <-ls.endSent:
	}
	t := time.NewTimer(c.srv.opts.ConnectionTimeout)
	defer t.Stop()
	select {
	case <-ls.readDone:
	case <-c.out.cut:
		c.reportCut()
	case <-t.C:
	}
}

// reportCut reports why the connection was cut off, if for an error.
func (c *ServerConn) reportCut() {
	if err := c.cutError(); err != nil {
		c.errorf(err)
	}
}

// onRead is the read callback of a connection served on the loop.
func (c *ServerConn) onRead(ls *loopServing, data []byte, err error) {
	if ls.dead {
		return
	}
	err = ls.split.FeedPackets(data, err, func(p wire.Packet, err error) {
		var pe *wire.PacketError
		if errors.As(err, &pe) {
			c.errorf(err)
			c.refuseRequest(pe)
			return
		}
		if err != nil {
			c.errorf(err)
			return
		}
		c.handle(p)
	})
	c.partialPacket(err == nil && ls.split.Pending() > 0)
	if err != nil {
		ls.dead = true
		if err != io.EOF && !errors.Is(err, net.ErrClosed) {
			c.errorf(err)
		}
		ls.once.Do(func() { close(ls.readDone) })
	}
}

// noteEndSent tells a connection served on the loop that END went out, so
// its goroutine starts the connection timeout.
func (c *ServerConn) noteEndSent() {
	c.idMu.Lock()
	c.endMsgSent = true
	ls := c.loop
	c.idMu.Unlock()
	if ls != nil {
		close(ls.endSent)
	}
}
