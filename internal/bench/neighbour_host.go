//go:build !windows

package bench

import (
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/pipe"
)

// neighbourHost is the host process of a good-neighbour measurement: it
// takes its hostConfig on fd 3, sets GOMAXPROCS, serves HTTP on loopback
// while running the condition, and on hostStop (or when fd 3 ends) stops
// both and reports what it measured between the client's two marks.
func neighbourHost() int {
	c, err := fdConn(peerFD)
	if err != nil {
		return 1
	}
	defer c.Close()
	var cfg hostConfig
	if err := c.dec.Decode(&cfg); err != nil {
		return 1
	}
	if cfg.Procs > 0 {
		runtime.GOMAXPROCS(cfg.Procs)
	}
	h, err := startHost(cfg.Condition)
	if err != nil {
		c.enc.Encode(hostReady{Err: err.Error()})
		return 1
	}
	if err := c.enc.Encode(hostReady{Addr: h.ln.Addr().String(), Procs: runtime.GOMAXPROCS(0)}); err != nil {
		h.stop()
		return 1
	}
	var stop hostStop
	c.dec.Decode(&stop) // an error (the measuring end went away) stops the host too
	done := h.stop()
	if c.enc.Encode(done) != nil || done.Err != "" {
		return 1
	}
	return 0
}

// host is the HTTP server and the condition running beside it.
type host struct {
	ln     net.Listener
	srv    *http.Server
	served chan error
	load   *load

	mu    sync.Mutex
	marks []mark
}

// mark is what the host took at one of the client's marks.
type mark struct {
	cpu    time.Duration
	at     time.Time
	rounds int64
}

// startHost starts the condition, then the server on an ephemeral loopback
// port.
func startHost(cond Condition) (*host, error) {
	l, err := startLoad(cond)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		l.stop()
		return nil, err
	}
	h := &host{ln: ln, load: l, served: make(chan error, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	mux.HandleFunc("/mark", func(w http.ResponseWriter, r *http.Request) {
		h.mark()
		io.WriteString(w, "ok")
	})
	h.srv = &http.Server{Handler: mux, ReadHeaderTimeout: time.Minute}
	go func() { h.served <- h.srv.Serve(ln) }()
	return h, nil
}

func (h *host) mark() {
	m := mark{cpu: SelfCPU(), at: time.Now(), rounds: h.load.rounds.Load()}
	h.mu.Lock()
	h.marks = append(h.marks, m)
	h.mu.Unlock()
}

// stop closes the server and stops the condition, and reports.
func (h *host) stop() hostDone {
	err := h.srv.Close()
	if serr := <-h.served; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	err = errors.Join(err, h.load.stop())
	h.mu.Lock()
	defer h.mu.Unlock()
	done := hostDone{Marks: len(h.marks)}
	if len(h.marks) == 2 {
		a, b := h.marks[0], h.marks[1]
		done.CPU, done.Wall, done.Rounds = b.cpu-a.cpu, b.at.Sub(a.at), b.rounds-a.rounds
	}
	if err != nil {
		done.Err = err.Error()
	}
	return done
}

// load is a condition running in goroutines of the host.
type load struct {
	rounds   atomic.Int64 // ping-pong round trips made
	stopping atomic.Bool
	ends     []io.Closer
	pinger   sync.WaitGroup // stops by itself once stopping is set
	rest     sync.WaitGroup // stops when ends are closed

	mu  sync.Mutex
	err error // the first failure before stopping
}

// startLoad starts cond's goroutines.
func startLoad(cond Condition) (*load, error) {
	l := &load{}
	switch cond {
	case NoUvpipe:
	case IdlePipes:
		for i := 0; i < IdleReads/2; i++ {
			a, b, err := pipe.SocketPair()
			if err != nil {
				l.stop()
				return nil, err
			}
			l.ends = append(l.ends, a, b)
			l.idleRead(a)
			l.idleRead(b)
		}
	case PipePingPong:
		a, b, err := pipe.SocketPair()
		if err != nil {
			return nil, err
		}
		l.pingPong(a, b)
	case UnixConnPingPong:
		a, b, err := unixConnPair()
		if err != nil {
			return nil, err
		}
		l.pingPong(a, b)
	default:
		return nil, errors.New("no condition " + string(cond))
	}
	return l, nil
}

// unixConnPair is a unix socket pair as two *net.UnixConn.
func unixConnPair() (net.Conn, net.Conn, error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, nil, os.NewSyscallError("socketpair", err)
	}
	var cs [2]net.Conn
	for i, fd := range fds {
		f := os.NewFile(uintptr(fd), "pair")
		c, err := net.FileConn(f)
		f.Close()
		if err != nil {
			if i == 0 {
				unix.Close(fds[1])
			} else {
				cs[0].Close()
			}
			return nil, nil, err
		}
		cs[i] = c
	}
	return cs[0], cs[1], nil
}

// fail records the first failure that happens before stopping.
func (l *load) fail(err error) {
	if l.stopping.Load() {
		return
	}
	l.mu.Lock()
	if l.err == nil {
		l.err = err
	}
	l.mu.Unlock()
}

// idleRead blocks a Read on p; nothing is ever written to it.
func (l *load) idleRead(p *pipe.Pipe) {
	l.rest.Go(func() {
		n, err := p.Read(make([]byte, Size))
		if n > 0 || !errors.Is(err, net.ErrClosed) {
			l.fail(errors.Join(errors.New("an idle Read returned"), err))
		}
	})
}

// pingPong echoes on b and makes round trips from a until stopping.
func (l *load) pingPong(a, b io.ReadWriteCloser) {
	l.ends = append(l.ends, a, b)
	l.rest.Go(func() {
		buf := make([]byte, Size)
		for {
			n, err := b.Read(buf)
			if err != nil {
				return
			}
			if _, err := b.Write(buf[:n]); err != nil {
				l.fail(err)
				return
			}
		}
	})
	l.pinger.Go(func() {
		msg, got := make([]byte, Size), make([]byte, Size)
		for !l.stopping.Load() {
			if _, err := a.Write(msg); err != nil {
				l.fail(err)
				return
			}
			if _, err := io.ReadFull(a, got); err != nil {
				l.fail(err)
				return
			}
			l.rounds.Add(1)
		}
	})
}

// stop stops the goroutines, closes the ends and returns the first
// failure.
func (l *load) stop() error {
	l.stopping.Store(true)
	l.pinger.Wait()
	var err error
	for _, c := range l.ends {
		err = errors.Join(err, c.Close())
	}
	l.rest.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	return errors.Join(l.err, err)
}
