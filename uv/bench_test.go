//go:build cgo && !windows

package uv_test

import (
	"io"
	"os"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/internal/bench"
	"github.com/uvpipe/uvpipe/internal/wait"
	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// runChild is the test binary re-executed with childEnv set (main_test.go):
// "raw" echoes on fd 3 with blocking read/write syscalls, "uv" with a
// uv.Pipe's blocking Read and Write; any other name is one of bench.Peers.
func runChild(mode string) int {
	switch mode {
	case "raw":
		return bench.Peers["raw-echo"]()
	case "uv", "uv-netpoll":
		l, err := uv.Tuned(uv.LoopConfig{}, wait.Config{Netpoller: mode == "uv-netpoll"}).NewLoop()
		if err != nil {
			return 1
		}
		p, err := uv.NewPipe(l, false, 0)
		if err != nil {
			return 1
		}
		if err := p.Open(3); err != nil {
			return 1
		}
		if _, err := io.Copy(p, p); err != nil {
			return 1
		}
		return 0
	case "post-after-close":
		return postAfterCloseChild()
	case "writefd-emfile":
		return writeFDEMFILEChild()
	}
	if peer, ok := bench.Peers[mode]; ok {
		return peer()
	}
	return 2
}

// startPeer starts the test binary as the named echo peer (see runChild).
func startPeer(b *testing.B, mode string) (int, func()) {
	fd, waitPeer, err := bench.ExecStarter(os.Args[0], []string{"-test.run=^$"}, childEnv)(mode)
	if err != nil {
		b.Fatal(err)
	}
	return fd, func() {
		if err := waitPeer(); err != nil {
			b.Error(err)
		}
	}
}

func roundTrips(b *testing.B, rw io.ReadWriter, n int) time.Duration {
	d, err := bench.RoundTrips(rw, n)
	if err != nil {
		b.Fatal(err)
	}
	return d
}

func rawPingPong(b *testing.B, n int) time.Duration {
	fd, waitPeer := startPeer(b, "raw")
	defer waitPeer()
	defer unix.Close(fd)
	return roundTrips(b, bench.FD(fd), n)
}

func report(b *testing.B, took, raw time.Duration, unit string) {
	b.ReportMetric(float64(raw.Nanoseconds())/float64(b.N), "raw-ns/"+unit)
	b.ReportMetric(float64(took)/float64(raw), "x-raw")
}

// BenchmarkPingPong64 is a 64-byte ping-pong between two processes over a
// socket pair, both ends uv.Pipe with blocking Read/Write, beside the same
// with plain read/write syscalls (raw), measured in the same run; x-raw is the
// ratio. The leaders wait in epoll_wait (the default) or in Go's netpoller. Run
// it free and pinned: taskset -c 0 go test -run x -bench PingPong ./uv/
func BenchmarkPingPong64(b *testing.B) {
	for name, mode := range map[string]string{"epoll": "uv", "netpoll": "uv-netpoll"} {
		b.Run(name, func(b *testing.B) { pingPong(b, mode) })
	}
}

func pingPong(b *testing.B, mode string) {
	raw := rawPingPong(b, b.N)

	fd, waitPeer := startPeer(b, mode)
	defer waitPeer()
	l, err := uv.Tuned(uv.LoopConfig{}, wait.Config{Netpoller: mode == "uv-netpoll"}).NewLoop()
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	p, err := uv.NewPipe(l, false, 0)
	if err != nil {
		b.Fatal(err)
	}
	if err := p.Open(fd); err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	b.ResetTimer()
	took := roundTrips(b, p, b.N)
	b.StopTimer()
	report(b, took, raw, "rt")
}

// BenchmarkDo is the cost of running a function under the loop lock from
// another goroutine, beside a plain sync.Mutex lock and unlock.
func BenchmarkDo(b *testing.B) {
	l := uvtest.NewLoop(b)
	var mu sync.Mutex
	n := 0
	start := time.Now()
	for i := 0; i < b.N; i++ {
		mu.Lock()
		n++
		mu.Unlock()
	}
	base := time.Since(start)
	b.ResetTimer()
	start = time.Now()
	for i := 0; i < b.N; i++ {
		l.Do(func() { n++ })
	}
	took := time.Since(start)
	b.ReportMetric(float64(base.Nanoseconds())/float64(b.N), "mutex-ns/op")
	b.ReportMetric(float64(took)/float64(base), "x-mutex")
}

// BenchmarkReadCallback is the cost of one read callback: 64-byte writes on
// one end of a socket pair, each delivered to an OnRead handler on the other,
// beside a goroutine reading the same with plain read syscalls.
func BenchmarkReadCallback(b *testing.B) {
	const size = 64
	measure := func(consume func(fd int, n int)) time.Duration {
		fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			b.Fatal(err)
		}
		defer unix.Close(fds[0])
		start := time.Now()
		done := make(chan struct{})
		go func() {
			defer close(done)
			consume(fds[1], b.N)
		}()
		msg := make([]byte, size)
		for i := 0; i < b.N; i++ {
			if _, err := unix.Write(fds[0], msg); err != nil {
				b.Fatal(err)
			}
		}
		<-done
		return time.Since(start)
	}
	raw := measure(func(fd int, n int) {
		defer unix.Close(fd)
		buf := make([]byte, size)
		for i := 0; i < n; i++ {
			if _, err := unix.Read(fd, buf); err != nil {
				return
			}
		}
	})
	l := uvtest.NewLoop(b)
	b.ResetTimer()
	took := measure(func(fd int, n int) {
		p, err := uv.NewPipe(l, false, size)
		if err != nil {
			b.Error(err)
			return
		}
		defer p.Close()
		if err := p.Open(fd); err != nil {
			b.Error(err)
			return
		}
		got := make(chan struct{})
		seen := 0
		p.OnRead(func(data []byte, err error) {
			seen += len(data) / size
			if seen == n {
				close(got)
			}
		})
		<-got
	})
	b.ReportMetric(float64(raw.Nanoseconds())/float64(b.N), "raw-ns/op")
	b.ReportMetric(float64(took)/float64(raw), "x-raw")
}
