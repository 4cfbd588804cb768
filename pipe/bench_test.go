package pipe_test

import (
	"io"
	"net"
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/internal/benchkit"
	"github.com/uvpipe/uvpipe/pipe"
)

// The benchmarks run between two processes over a socket pair: the test
// binary re-executed as the peer (see children). Each reports its time beside
// a baseline measured in the same run, and the ratio (x-raw: time / raw time,
// or for throughput and handle passing, rate / raw rate). This VM wakes an
// idle CPU slowly, so take each twice: free, and pinned to one CPU with
//
//	taskset -c 0 go test -run x -bench . ./pipe/

const benchMsg = 64

func init() {
	children["bench-raw-echo"] = func() int { return benchkit.EchoFD(3) }
	children["bench-unixconn-echo"] = unixConnEcho
	children["bench-pipe-echo"] = pipeEcho
	children["bench-pipe-event-echo"] = pipeEventEcho
	children["bench-raw-sink"] = rawSink
	children["bench-pipe-sink"] = pipeSink
	children["bench-raw-handles"] = rawHandleSink
	children["bench-pipe-handles"] = pipeHandleSink
}

func childPipe(ipc bool) *pipe.Pipe {
	p, err := pipe.Config{IPC: ipc}.Open(3)
	if err != nil {
		panic(err)
	}
	return p
}

func unixConnEcho() int {
	c, err := net.FileConn(os.NewFile(3, "peer"))
	if err != nil {
		return 1
	}
	io.Copy(c, c)
	c.Close()
	return 0
}

func pipeEcho() int {
	p := childPipe(false)
	defer p.Close()
	buf := make([]byte, 64<<10)
	for {
		n, err := p.Read(buf)
		if err != nil {
			return 0
		}
		if _, err := p.Write(buf[:n]); err != nil {
			return 1
		}
	}
}

func pipeEventEcho() int {
	p := childPipe(false)
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

func rawRoundTrips(b *testing.B) time.Duration {
	fd, wait := startPeer(b, "bench-raw-echo")
	defer wait()
	defer unix.Close(fd)
	return roundTrips(b, benchkit.FD(fd), b.N)
}

// startPeer starts the named child on one end of a fresh socket pair.
func startPeer(b *testing.B, name string) (int, func()) {
	return benchkit.StartPeer(b, "UVPIPE_PIPE_CHILD", name)
}

func roundTrips(b *testing.B, rw io.ReadWriter, n int) time.Duration {
	return benchkit.RoundTrips(b, rw, benchMsg, 1000, n)
}

var report = benchkit.Report

// BenchmarkPingPong: 64-byte round trips with blocking Read/Write, both ends
// pipe.Pipe, beside both ends raw syscalls and both ends *net.UnixConn.
func BenchmarkPingPong(b *testing.B) {
	b.Run("pipe", func(b *testing.B) {
		raw := rawRoundTrips(b)
		fd, wait := startPeer(b, "bench-pipe-echo")
		defer wait()
		p, err := pipe.Open(fd)
		if err != nil {
			b.Fatal(err)
		}
		defer p.Close()
		b.ResetTimer()
		report(b, roundTrips(b, p, b.N), raw, "rt")
	})
	b.Run("unixconn", func(b *testing.B) {
		raw := rawRoundTrips(b)
		fd, wait := startPeer(b, "bench-unixconn-echo")
		defer wait()
		c, err := net.FileConn(os.NewFile(uintptr(fd), "peer"))
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		unix.Close(fd)
		b.ResetTimer()
		report(b, roundTrips(b, c, b.N), raw, "rt")
	})
}

// BenchmarkPingPongEvents: the same round trips with the event API: each end
// replies from inside its read callback.
func BenchmarkPingPongEvents(b *testing.B) {
	raw := rawRoundTrips(b)
	fd, wait := startPeer(b, "bench-pipe-event-echo")
	defer wait()
	p, err := pipe.Open(fd)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	msg := make([]byte, benchMsg)
	const warm = 1000
	total := warm + b.N
	done := make(chan struct{})
	var start time.Time
	got, rounds := 0, 0
	b.ResetTimer()
	p.OnRead(func(data []byte, err error) {
		if err != nil {
			return
		}
		for got += len(data); got >= benchMsg; got -= benchMsg {
			rounds++
			switch rounds {
			case warm:
				start = time.Now()
			case total:
				close(done)
				return
			}
			p.Write(msg)
		}
	})
	p.Write(msg)
	<-done
	took := time.Since(start)
	p.OnRead(nil)
	report(b, took, raw, "rt")
}

const chunk = 64 << 10

func rawSink() int {
	buf := make([]byte, chunk)
	for {
		n, _ := unix.Read(3, buf)
		if n <= 0 {
			break
		}
	}
	unix.Write(3, []byte{1})
	return 0
}

func pipeSink() int {
	p := childPipe(false)
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

// oneWay writes n chunks of 64 KiB, half-closes, and waits for the ack.
func oneWay(b *testing.B, w io.Writer, closeWrite func() error, ack io.Reader, n int) time.Duration {
	buf := make([]byte, chunk)
	start := time.Now()
	for i := 0; i < n; i++ {
		if _, err := w.Write(buf); err != nil {
			b.Fatal(err)
		}
	}
	if err := closeWrite(); err != nil {
		b.Fatal(err)
	}
	if _, err := io.ReadFull(ack, make([]byte, 1)); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// BenchmarkThroughput: one-way 64 KiB writes, pipe.Pipe at both ends beside
// raw syscalls at both ends; x-raw is pipe's rate over raw's.
func BenchmarkThroughput(b *testing.B) {
	b.SetBytes(chunk)
	fd, wait := startPeer(b, "bench-raw-sink")
	raw := oneWay(b, benchkit.FD(fd), func() error { return unix.Shutdown(fd, unix.SHUT_WR) }, benchkit.FD(fd), b.N)
	unix.Close(fd)
	wait()

	fd, wait = startPeer(b, "bench-pipe-sink")
	defer wait()
	p, err := pipe.Open(fd)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	b.ResetTimer()
	took := oneWay(b, p, p.CloseWrite, p, b.N)
	b.StopTimer()
	b.ReportMetric(float64(chunk)*float64(b.N)/raw.Seconds()/(1<<20), "raw-MiB/s")
	b.ReportMetric(raw.Seconds()/took.Seconds(), "x-raw")
}

func rawHandleSink() int {
	buf := make([]byte, 16)
	oob := make([]byte, unix.CmsgSpace(4))
	for {
		n, oobn, _, _, err := unix.Recvmsg(3, buf, oob, unix.MSG_CMSG_CLOEXEC)
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
	unix.Write(3, []byte{1})
	return 0
}

func pipeHandleSink() int {
	p := childPipe(true)
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

// BenchmarkHandlePassing: a TCP listener sent with one byte, b.N times; the
// peer takes each and closes it. pipe.Pipe (WriteHandle, ReadHandles) beside
// raw sendmsg/recvmsg; x-raw is pipe's rate over raw's.
func BenchmarkHandlePassing(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	f, err := ln.(*net.TCPListener).File()
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()

	fd, wait := startPeer(b, "bench-raw-handles")
	rights := unix.UnixRights(int(f.Fd()))
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if err := unix.Sendmsg(fd, []byte{'h'}, rights, nil, 0); err != nil {
			b.Fatal(err)
		}
	}
	unix.Shutdown(fd, unix.SHUT_WR)
	unix.Read(fd, make([]byte, 1))
	raw := time.Since(start)
	unix.Close(fd)
	wait()

	fd, wait = startPeer(b, "bench-pipe-handles")
	defer wait()
	p, err := pipe.Config{IPC: true}.Open(fd)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	b.ResetTimer()
	start = time.Now()
	for i := 0; i < b.N; i++ {
		if _, err := p.WriteHandle([]byte{'h'}, ln); err != nil {
			b.Fatal(err)
		}
	}
	p.CloseWrite()
	io.ReadFull(p, make([]byte, 1))
	took := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/raw.Seconds(), "raw-handles/s")
	b.ReportMetric(raw.Seconds()/took.Seconds(), "x-raw")
}
