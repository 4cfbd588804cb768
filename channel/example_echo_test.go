package channel_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"

	"github.com/uvpipe/uvpipe/channel"
	"github.com/uvpipe/uvpipe/uv"
)

// echoServer is a TCP echo server spread over several loops: one loop
// accepts, and each connection it accepts moves over a channel, round
// robin, to one of the worker loops, which echoes it in the event style
// (OnRead writing back, under the worker loop's lock). Each loop is led by
// its own goroutine, so the workers run in parallel on their own threads.
//
// The echo writes back from the read handler: what the socket does not take
// at once is queued in libuv. A client that sends without reading would make
// that queue grow without end, so a connection whose queue passes
// highWater stops being read until its writes drain below a quarter of it
// (OnWriteDone reports each queued write done, with what is left).
type echoServer struct {
	echoOptions
	ln      *uv.TCP
	out     []*channel.Port // the acceptor's ends, one per worker
	in      []*channel.Port // the workers' ends
	served  []atomic.Int64  // connections handed to each worker
	cancel  context.CancelFunc
	accepts chan error
	ending  sync.WaitGroup // connections finishing their last writes
	closing sync.Once
	err     error

	maxQueued atomic.Int64 // the most bytes one connection had queued after a write
	pauses    atomic.Int64 // how often a connection stopped being read
}

// echoOptions shape what the server does with each connection.
type echoOptions struct {
	// highWater is how many bytes a connection may have queued before it
	// stops being read (0: 1 MiB).
	highWater int
	// reply, if set, makes the replier of each new connection: it gets the
	// bytes read, in order, and returns what to write back (only valid
	// until it is called again). Nil echoes.
	reply func() func(in []byte) []byte
}

// startEchoServer listens on 127.0.0.1 (any port) on loop acceptor and
// echoes on the worker loops.
func startEchoServer(acceptor *uv.Loop, workers ...*uv.Loop) (*echoServer, error) {
	return startServer(echoOptions{}, acceptor, workers...)
}

// startServer is startEchoServer with options.
func startServer(opt echoOptions, acceptor *uv.Loop, workers ...*uv.Loop) (*echoServer, error) {
	if opt.highWater <= 0 {
		opt.highWater = 1 << 20
	}
	s := &echoServer{echoOptions: opt, served: make([]atomic.Int64, len(workers)), accepts: make(chan error, 1)}
	for _, w := range workers {
		ch := channel.New()
		in, err := ch.Connect(w)
		if err != nil {
			return nil, err
		}
		out, err := ch.Connect(acceptor)
		if err != nil {
			return nil, err
		}
		s.in, s.out = append(s.in, in), append(s.out, out)
		s.serve(in)
	}
	ln, err := uv.NewTCP(acceptor)
	if err != nil {
		return nil, err
	}
	if err := ln.Bind(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}); err != nil {
		ln.Close()
		return nil, err
	}
	if err := ln.Listen(1024); err != nil {
		ln.Close()
		return nil, err
	}
	s.ln = ln
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	go s.accept(ctx)
	return s, nil
}

// accept runs on its own goroutine, which leads the acceptor loop while it
// waits in Accept, and deals the connections out to the workers.
func (s *echoServer) accept(ctx context.Context) {
	for i := 0; ; i++ {
		c, err := s.ln.Accept()
		if err != nil {
			s.accepts <- err
			return
		}
		k := i % len(s.out)
		s.served[k].Add(1)
		// Writing the connection detaches it from the acceptor's loop; the
		// worker gets it live on its own.
		if err := s.out[k].Write(ctx, c); err != nil {
			c.Close()
			s.accepts <- err
			return
		}
	}
}

// serve runs worker port in's loop: each connection it receives is served
// there until its client ends it; the rest are closed when the acceptor's
// end closes.
func (s *echoServer) serve(in *channel.Port) {
	conns := map[*uv.TCP]bool{} // only touched on the worker's loop
	in.OnMessage(func(v any, err error) {
		if err != nil { // the server is closing
			for c := range conns {
				c.Close()
			}
			return
		}
		c := v.(*uv.TCP)
		conns[c] = true
		s.serveConn(c, func() { delete(conns, c) })
	})
}

// serveConn serves one connection on its worker's loop, with backpressure:
// reading stops while more than highWater bytes of replies are queued.
// gone runs once when the connection is done.
func (s *echoServer) serveConn(c *uv.TCP, gone func()) {
	reply := func(in []byte) []byte { return in }
	if s.reply != nil {
		reply = s.reply()
	}
	paused, done := false, false
	end := func() {
		if !done {
			done = true
			gone()
			s.finish(c)
		}
	}
	onData := func(data []byte, err error) {
		if err == nil {
			if out := reply(data); len(out) > 0 {
				_, err = c.Write(out)
			}
		}
		if err != nil {
			end()
			return
		}
		q := c.WriteQueueSize()
		if int64(q) > s.maxQueued.Load() {
			s.maxQueued.Store(int64(q)) // a high-water statistic: races between workers do not matter
		}
		if q > s.highWater {
			paused = true
			s.pauses.Add(1)
			c.OnRead(nil)
		}
	}
	c.OnWriteDone(func(queued int, err error) {
		switch {
		case err != nil:
			end()
		case paused && queued <= s.highWater/4:
			paused = false
			c.OnRead(onData)
		}
	})
	c.OnRead(onData)
}

// finish closes a connection whose client has ended it, once what was
// echoed is written: Close would cancel writes still queued, so that wait
// happens off the loop.
func (s *echoServer) finish(c *uv.TCP) {
	c.OnRead(nil)
	c.OnWriteDone(nil)
	if c.WriteQueueSize() == 0 {
		c.Close()
		return
	}
	s.ending.Add(1)
	go func() {
		defer s.ending.Done()
		c.CloseWrite() // waits for the queued writes
		c.Close()
	}()
}

// Addr is the address the server listens on.
func (s *echoServer) Addr() string { return s.ln.LocalAddr().String() }

// Close stops accepting and closes every connection still open.
func (s *echoServer) Close() error {
	s.closing.Do(func() { s.err = s.close() })
	return s.err
}

func (s *echoServer) close() error {
	err := s.ln.Close()
	s.cancel()
	if aerr := <-s.accepts; !errors.Is(aerr, net.ErrClosed) && !errors.Is(aerr, context.Canceled) {
		err = errors.Join(err, aerr)
	}
	for _, p := range s.out {
		err = errors.Join(err, p.Close())
	}
	for _, p := range s.in {
		<-p.Done() // the worker saw the end and closed its connections
	}
	s.ending.Wait()
	return err
}

// A TCP echo server on three loops: the default loop accepts, two worker
// loops serve, and each accepted connection moves to a worker through a
// channel.
func Example_echoServer() {
	w1, _ := uv.NewLoop()
	defer w1.Close()
	w2, _ := uv.NewLoop()
	defer w2.Close()
	srv, err := startEchoServer(uv.Default(), w1, w2)
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	for _, msg := range []string{"hello", "world", "again"} {
		c, err := net.Dial("tcp", srv.Addr())
		if err != nil {
			panic(err)
		}
		c.Write([]byte(msg))
		buf := make([]byte, len(msg))
		io.ReadFull(c, buf)
		fmt.Println(string(buf))
		c.Close()
	}
	fmt.Println(srv.served[0].Load(), srv.served[1].Load())
	// Output:
	// hello
	// world
	// again
	// 2 1
}
