package netipc

import (
	"errors"
	"runtime"
	"sync/atomic"

	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
)

// serverLoops are the libuv loops a Server runs on: the first accepts, and
// connections are dealt round robin over all of them, each loop with its
// own leader thread, so the server's I/O can use as many cores.
type serverLoops struct {
	loops []*uv.Loop
	own   bool // made for the server, closed with it
	next  atomic.Uint64
}

// newServerLoops makes n loops; for n == 0, one when Go runs on more than
// one CPU, else none: the server then shares the default loop, as one
// leader on one CPU does better than two taking turns. On Windows it makes
// at most one: an accepted named pipe cannot move to another loop there
// (its instance is bound to the accepting loop's completion port).
func newServerLoops(n int) (*serverLoops, error) {
	if runtime.GOOS == "windows" {
		n = min(n, 1)
	}
	if n == 0 && runtime.GOMAXPROCS(0) == 1 {
		return &serverLoops{loops: []*uv.Loop{uv.Default()}}, nil
	}
	l := &serverLoops{own: true}
	for range max(n, 1) {
		lp, err := uv.NewLoop()
		if err != nil {
			l.close()
			return nil, err
		}
		l.loops = append(l.loops, lp)
	}
	return l, nil
}

// place moves an accepted pipe (on the first loop) to the next loop.
func (l *serverLoops) place(p *pipe.Pipe) (*pipe.Pipe, error) {
	i := int(l.next.Add(1)-1) % len(l.loops)
	if i == 0 {
		return p, nil
	}
	d, err := p.Detach()
	if err != nil {
		p.Close()
		return nil, err
	}
	q, err := d.Attach(l.loops[i])
	if err != nil {
		return nil, errors.Join(err, d.Close())
	}
	return q, nil
}

// close closes the loops (and anything still open on them).
func (l *serverLoops) close() {
	if !l.own {
		return
	}
	for _, lp := range l.loops {
		_ = lp.Close()
	}
}
