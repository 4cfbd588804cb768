//go:build !windows

package bench

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/pipe"
)

// Size is the size of a ping-pong message.
const Size = 64

// warm is how many round trips go untimed before a ping-pong is timed.
const warm = 1000

// Result is one measurement beside its baseline, both over N operations.
type Result struct {
	N    int
	Took time.Duration // uvpipe's time
	Raw  time.Duration // the baseline's time, measured in the same run

	// CPU and RawCPU are the CPU time (user and system) that both processes
	// used for uvpipe's run and for the baseline's, over Ops operations each:
	// the whole run, its untimed warm-up and the peer's start included.
	// PingPong fills them; they are zero elsewhere.
	CPU, RawCPU time.Duration
	Ops         int
}

// TimeRatio is uvpipe's time over the baseline's: lower is better, 1 is as
// fast as raw syscalls.
func (r Result) TimeRatio() float64 { return r.Took.Seconds() / r.Raw.Seconds() }

// RateRatio is uvpipe's rate over the baseline's: higher is better.
func (r Result) RateRatio() float64 { return r.Raw.Seconds() / r.Took.Seconds() }

// PerOp is uvpipe's time per operation.
func (r Result) PerOp() time.Duration { return r.Took / time.Duration(r.N) }

// RawPerOp is the baseline's time per operation.
func (r Result) RawPerOp() time.Duration { return r.Raw / time.Duration(r.N) }

// CPUPerOp is the CPU time both processes used per operation of uvpipe's
// run; zero when the CPU was not measured.
func (r Result) CPUPerOp() time.Duration { return perOps(r.CPU, r.Ops) }

// RawCPUPerOp is the CPU time both processes used per operation of the
// baseline's run; zero when the CPU was not measured.
func (r Result) RawCPUPerOp() time.Duration { return perOps(r.RawCPU, r.Ops) }

// CPURatio is uvpipe's CPU time over the baseline's: lower is better.
func (r Result) CPURatio() float64 { return r.CPU.Seconds() / r.RawCPU.Seconds() }

func perOps(d time.Duration, n int) time.Duration {
	if n <= 0 {
		return 0
	}
	return d / time.Duration(n)
}

// PingPong times n round trips of Size bytes between this process and a
// peer: kind "pipe" (pipe.Pipe's blocking Read/Write at both ends), "events"
// (pipe.Pipe's event API at both ends: each reply written inside the read
// callback) or "unixconn" (Go's *net.UnixConn at both ends). The baseline is
// blocking read/write syscalls at both ends. The CPU time of both processes
// is taken for each run (see Result.CPU) with ProcessCPU.
func PingPong(start Starter, kind string, n int) (Result, error) {
	cpu0 := ProcessCPU()
	rawTook, err := peerRun(start, "raw-echo", raw(func(fd int) (time.Duration, error) {
		return RoundTrips(FD(fd), n)
	}))
	if err != nil {
		return Result{}, err
	}
	cpu1 := ProcessCPU()
	var took time.Duration
	switch kind {
	case "pipe":
		took, err = peerRun(start, "pipe-echo", onPipe(false, func(p *pipe.Pipe) (time.Duration, error) {
			return RoundTrips(p, n)
		}))
	case "events":
		took, err = peerRun(start, "pipe-event-echo", onPipe(false, func(p *pipe.Pipe) (time.Duration, error) {
			return eventRoundTrips(p, n)
		}))
	case "unixconn":
		took, err = peerRun(start, "unixconn-echo", func(fd int) (time.Duration, error) {
			f := os.NewFile(uintptr(fd), "peer")
			c, err := net.FileConn(f)
			f.Close()
			if err != nil {
				return 0, err
			}
			defer c.Close()
			return RoundTrips(c, n)
		})
	default:
		return Result{}, fmt.Errorf("bench: no ping-pong kind %q", kind)
	}
	cpu2 := ProcessCPU()
	return Result{N: n, Took: took, Raw: rawTook, CPU: cpu2 - cpu1, RawCPU: cpu1 - cpu0, Ops: warm + n}, err
}

// peerRun starts the named peer, runs f on this end's fd (f owns it and
// closes it, so the peer sees the end) and waits for the peer.
func peerRun(start Starter, name string, f func(fd int) (time.Duration, error)) (time.Duration, error) {
	fd, wait, err := start(name)
	if err != nil {
		return 0, err
	}
	d, err := f(fd)
	return d, errors.Join(err, wait())
}

// raw runs f on fd with blocking syscalls and closes fd.
func raw(f func(fd int) (time.Duration, error)) func(int) (time.Duration, error) {
	return func(fd int) (time.Duration, error) {
		defer unix.Close(fd)
		return f(fd)
	}
}

// onPipe opens fd as a pipe (IPC or not), runs f on it and closes it.
func onPipe(ipc bool, f func(*pipe.Pipe) (time.Duration, error)) func(int) (time.Duration, error) {
	return func(fd int) (time.Duration, error) {
		p, err := pipe.Config{IPC: ipc}.Open(fd)
		if err != nil {
			unix.Close(fd)
			return 0, err
		}
		defer p.Close()
		return f(p)
	}
}

// RoundTrips times n ping-pongs of Size bytes over rw, after untimed ones
// to warm up.
func RoundTrips(rw io.ReadWriter, n int) (time.Duration, error) {
	msg := make([]byte, Size)
	got := make([]byte, Size)
	var start time.Time
	for i := 0; i < warm+n; i++ {
		if i == warm {
			start = time.Now()
		}
		if _, err := rw.Write(msg); err != nil {
			return 0, err
		}
		if _, err := io.ReadFull(rw, got); err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}

// eventRoundTrips is roundTrips with the event API: the next message is
// written from inside the read callback that got the echo of the last one.
func eventRoundTrips(p *pipe.Pipe, n int) (time.Duration, error) {
	msg := make([]byte, Size)
	done := make(chan error, 1)
	var start time.Time
	got, rounds := 0, 0
	if err := p.OnRead(func(data []byte, err error) {
		if err != nil {
			done <- err
			return
		}
		for got += len(data); got >= Size; got -= Size {
			rounds++
			switch rounds {
			case warm:
				start = time.Now()
			case warm + n:
				done <- nil
				return
			}
			p.Write(msg)
		}
	}); err != nil {
		return 0, err
	}
	if _, err := p.Write(msg); err != nil {
		return 0, err
	}
	err := <-done
	took := time.Since(start)
	p.OnRead(nil)
	return took, err
}

// Throughput times n one-way writes of 64 KiB to a peer that reads them
// and acknowledges the end: pipe.Pipe at both ends, beside raw syscalls at
// both ends.
func Throughput(start Starter, n int) (Result, error) {
	rawTook, err := peerRun(start, "raw-sink", raw(func(fd int) (time.Duration, error) {
		return oneWay(FD(fd), func() error { return unix.Shutdown(fd, unix.SHUT_WR) }, FD(fd), n)
	}))
	if err != nil {
		return Result{}, err
	}
	took, err := peerRun(start, "pipe-sink", onPipe(false, func(p *pipe.Pipe) (time.Duration, error) {
		return oneWay(p, p.CloseWrite, p, n)
	}))
	return Result{N: n, Took: took, Raw: rawTook}, err
}

// ChunkSize is the size of one Throughput write.
const ChunkSize = chunk

// oneWay writes n chunks, half-closes, and waits for the peer's ack.
func oneWay(w io.Writer, closeWrite func() error, ack io.Reader, n int) (time.Duration, error) {
	buf := make([]byte, chunk)
	start := time.Now()
	for i := 0; i < n; i++ {
		if _, err := w.Write(buf); err != nil {
			return 0, err
		}
	}
	if err := closeWrite(); err != nil {
		return 0, err
	}
	if _, err := io.ReadFull(ack, make([]byte, 1)); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// HandlePassing times n handles (a listening TCP socket, sent with one byte
// each) passed to a peer that takes and closes each: pipe.Pipe's
// WriteHandle/ReadHandles beside raw sendmsg/recvmsg with SCM_RIGHTS.
func HandlePassing(start Starter, n int) (Result, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return Result{}, err
	}
	defer ln.Close()
	rawTook, err := peerRun(start, "raw-handles", raw(func(fd int) (time.Duration, error) {
		var d time.Duration
		var serr error
		rc, err := ln.(*net.TCPListener).SyscallConn()
		if err != nil {
			return 0, err
		}
		rc.Control(func(lfd uintptr) {
			rights := unix.UnixRights(int(lfd))
			t0 := time.Now()
			for i := 0; i < n && serr == nil; i++ {
				serr = unix.Sendmsg(fd, []byte{'h'}, rights, nil, 0)
			}
			unix.Shutdown(fd, unix.SHUT_WR)
			FD(fd).Read(make([]byte, 1))
			d = time.Since(t0)
		})
		return d, serr
	}))
	if err != nil {
		return Result{}, err
	}
	took, err := peerRun(start, "pipe-handles", onPipe(true, func(p *pipe.Pipe) (time.Duration, error) {
		t0 := time.Now()
		for i := 0; i < n; i++ {
			if _, err := p.WriteHandle([]byte{'h'}, ln); err != nil {
				return 0, err
			}
		}
		p.CloseWrite()
		if _, err := io.ReadFull(p, make([]byte, 1)); err != nil {
			return 0, err
		}
		return time.Since(t0), nil
	}))
	return Result{N: n, Took: took, Raw: rawTook}, err
}
