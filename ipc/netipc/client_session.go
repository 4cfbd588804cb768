package netipc

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"syscall"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
	"github.com/uvpipe/uvpipe/pipe"
)

// EndError is a connection the server ended with END before answering
// CONNECTION (an auth hook that refused the client, or a server closing).
type EndError struct {
	Reason         string // END's m
	AllowReconnect bool   // END's a
}

func (e *EndError) Error() string {
	return "netipc: server refused the connection: " + e.Reason
}

// clientSession is one connection of a Client: a reconnect makes a new one.
type clientSession struct {
	wireConn
	cl   *Client
	pipe *pipe.Pipe
	done chan struct{} // closed once the reading goroutine has ended

	killed   chan struct{} // closed once the pipe is closed here
	killOnce sync.Once

	mu      sync.Mutex
	ended   bool // the server sent END
	allowRe bool // and allowed a reconnect
	closing bool // Close or Destroy was called on this session
}

// dialSession dials, writes the preamble and CONNECTION (with id, when
// not empty) and waits for the server's answer; it returns the session,
// not yet reading, and the id the server gave.
func (c *Client) dialSession(ctx context.Context, id string) (*clientSession, *wire.PacketReader, string, error) {
	c.setStatus(ClientConnecting)
	p, err := dialRetry(ctx, c.opts.Path)
	if err != nil {
		return nil, nil, "", err
	}
	c.setStatus(ClientConnected)
	d := map[string]any{}
	if c.opts.Extras != nil {
		d["extras"] = c.opts.Extras
	}
	if id != "" {
		d["id"] = id
	}
	pre := []byte(wire.Preamble)
	if c.opts.Handshake {
		pre = nil
	}
	pkt, err := wire.AppendPacket(pre, wire.Packet{Type: wire.PacketConnection, Data: mustJSON(d)})
	br := bufio.NewReader(p)
	stop := context.AfterFunc(ctx, func() { _ = p.SetReadDeadline(time.Unix(1, 0)) })
	if err == nil && c.opts.Handshake {
		err = upgrade(p, br)
	}
	var werr error
	if err == nil {
		_, werr = p.Write(pkt)
	}
	pr := wire.NewPacketReader(br, c.opts.MaxPacketSize)
	var reply wire.Packet
	if err == nil {
		// Read even when the write failed: a server that refused at once
		// (too many connections) wrote END and closed before it.
		reply, err = pr.ReadPacket()
		if werr != nil && (err != nil || reply.Type != wire.PacketEnd) {
			err = werr
		}
	}
	if !stop() {
		err = errors.Join(ctx.Err(), err)
	}
	if err == nil && reply.Type == wire.PacketConnection {
		// A server that answers and ends at once, in one write (as a
		// uvpipe server refuses, so that net-ipc's connect() settles), has
		// refused: its END is already here.
		if end, ok := bufferedEnd(pr); ok {
			reply = end
		}
	}
	if err == nil && reply.Type != wire.PacketConnection {
		if reply.Type == wire.PacketEnd {
			err = &EndError{Reason: endReason(reply.Data), AllowReconnect: endAllows(reply.Data)}
			c.noteEnd(endReason(reply.Data), endAllows(reply.Data))
		} else {
			err = errors.New("netipc: server did not answer CONNECTION")
		}
	}
	if err != nil {
		p.Close()
		return nil, nil, "", err
	}
	_ = p.SetReadDeadline(time.Time{})
	var answer struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(reply.Data, &answer)
	s := &clientSession{wireConn: newWireConn(p), cl: c, pipe: p, done: make(chan struct{}), killed: make(chan struct{})}
	return s, pr, answer.ID, nil
}

// dialRetry dials, retrying while the server's accept backlog is full
// (EAGAIN on a unix socket) until ctx ends.
func dialRetry(ctx context.Context, path string) (*pipe.Pipe, error) {
	for attempt := 1; ; attempt++ {
		p, err := pipe.Dial(ctx, path)
		if !errors.Is(err, syscall.EAGAIN) {
			return p, err
		}
		t := time.NewTimer(min(time.Duration(attempt)*time.Millisecond, 50*time.Millisecond))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, err
		}
	}
}

// upgradeRequest is what net-ipc's client writes with handshake: true.
const upgradeRequest = "GET / HTTP/1.1\r\nHost: net-ipc\r\nConnection: Upgrade\r\nUpgrade: net-ipc\r\n\r\n"

// errNoUpgrade is a server that did not answer the upgrade with 101.
var errNoUpgrade = errors.New("netipc: the server did not switch protocols")

// upgrade writes the GET upgrade and reads the server's answer up to its
// blank line: 101 Switching Protocols, or errNoUpgrade.
func upgrade(p *pipe.Pipe, br *bufio.Reader) error {
	if _, err := io.WriteString(p, upgradeRequest); err != nil {
		return err
	}
	head, err := readHeaderBlock(br)
	if err == ErrBadPreamble || err == io.EOF || err == nil && !bytes.HasPrefix(head, []byte("HTTP/1.1 101 Switching Protocols\r\n")) {
		return fmt.Errorf("%w: %q", errNoUpgrade, bytes.TrimSpace(head))
	}
	return err
}

// bufferedEnd is the packet after the CONNECTION answer when it is END and
// came with the answer.
func bufferedEnd(pr *wire.PacketReader) (wire.Packet, bool) {
	var first *wire.Packet
	_ = (&wire.Splitter{}).FeedPackets(pr.Buffered(), nil, func(p wire.Packet, err error) {
		if first == nil && err == nil {
			first = &p
		}
	})
	if first == nil || first.Type != wire.PacketEnd {
		return wire.Packet{}, false
	}
	return *first, true
}

func mustJSON(v any) json.RawMessage {
	b, _ := marshalData(v)
	return b
}

// endAllows reads the a of an END packet.
func endAllows(d json.RawMessage) bool {
	var e struct {
		A bool `json:"a"`
	}
	_ = json.Unmarshal(d, &e)
	return e.A
}

// readLoop reads the session's packets until the connection goes: in
// libuv's read callback from now on (clientInbox), after the bytes the
// handshake's reader already holds.
func (s *clientSession) readLoop(pr *wire.PacketReader) {
	defer close(s.done)
	defer s.pipe.Close()
	defer s.failAll()
	in := newClientInbox(s.cl.opts.MaxPacketSize, s.cl.opts.MaxInboxBytes)
	held := pr.Buffered()
	onRead := func(data []byte, err error) { s.onRead(in, data, err) }
	err := readOnLoop(s.pipe, held, onRead)
	if err != nil {
		s.mu.Lock()
		quiet := s.closing
		s.mu.Unlock()
		if onError := s.cl.opts.OnError; !quiet && onError != nil {
			onError(err)
		}
		return
	}
	s.serveInbox(in, onRead)
}

func (s *clientSession) handle(p wire.Packet) {
	o := &s.cl.opts
	switch p.Type {
	case wire.PacketMessage:
		var pub struct {
			Pub     string          `json:"pub"`
			Message json.RawMessage `json:"message"`
		}
		if o.OnPublish != nil && json.Unmarshal(p.Data, &pub) == nil && pub.Pub != "" && truthy(pub.Message) {
			o.OnPublish(pub.Pub, pub.Message)
		} else if o.OnMessage != nil {
			o.OnMessage(p.Data)
		}
	case wire.PacketRequest:
		reply := s.replier(p.Nonce)
		if o.OnRequest == nil || !o.OnRequest(p.Data, reply) {
			_ = reply(nil)
		}
	case wire.PacketResponse, wire.PacketPong:
		s.resolve(p)
	case wire.PacketPing:
		_ = s.answerPing(p)
	case wire.PacketEnd:
		s.mu.Lock()
		s.ended, s.allowRe = true, endAllows(p.Data)
		s.mu.Unlock()
		s.cl.noteEnd(endReason(p.Data), endAllows(p.Data))
	}
}

// mayReconnect tells, once the session has gone, whether the way it went
// allows a reconnect: not after Close, Destroy or END without allowReconnect.
func (s *clientSession) mayReconnect() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.closing && (!s.ended || s.allowRe)
}

// close ends the session gracefully: pending requests are answered (or
// fail) first, then END {m: reason, a: false}, a half close, and the wait
// for the server to close too (at most until ctx ends).
func (s *clientSession) close(ctx context.Context, reason string) error {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	s.wireConn.mu.Lock()
	s.gone = true
	s.wireConn.mu.Unlock()
	s.waiting.Wait()
	err := s.writeData(wire.PacketEnd, endPacket{M: reason}, "")
	_ = s.pipe.CloseWrite()
	select {
	case <-s.done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	s.pipe.Close()
	s.kill()
	<-s.done
	return err
}

// destroy closes the session at once; pending requests fail (with
// reason too, when not nil).
func (s *clientSession) destroy(reason error) {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	s.failAllWith(reason)
	s.pipe.Close()
	s.kill()
}

// truthy is JavaScript's truthiness of a JSON value.
func truthy(v json.RawMessage) bool {
	switch string(v) {
	case "", "null", "false", "0", `""`, "-0", "0.0":
		return false
	}
	return true
}
