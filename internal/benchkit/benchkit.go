// Package benchkit holds what uvpipe's two-process benchmarks share: a peer
// process on one end of a socket pair (the test binary re-executed, the
// os/exec tests' pattern), the raw read/write baseline, round-trip timing,
// and the report of a ratio against a baseline measured in the same run.
package benchkit

import (
	"io"
	"os"
	"os/exec"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// StartPeer starts the test binary with env=name set (its TestMain runs the
// named peer instead of the tests) on one end of a fresh unix socket pair,
// as fd 3. It returns the other end's fd, and a function that waits for the
// peer and reports its failure.
func StartPeer(b *testing.B, env, name string) (int, func()) {
	b.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		b.Fatal(err)
	}
	end := os.NewFile(uintptr(fds[1]), "peer")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env+"="+name)
	cmd.ExtraFiles = []*os.File{end}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	end.Close()
	return fds[0], func() {
		if err := cmd.Wait(); err != nil {
			b.Errorf("peer %s: %v", name, err)
		}
	}
}

// FD is blocking read(2)/write(2) on a raw fd: the baseline every ratio is
// taken against. A read of 0 bytes is io.EOF.
type FD int

func (f FD) Read(p []byte) (int, error) {
	for {
		n, err := unix.Read(int(f), p)
		if err == unix.EINTR {
			continue
		}
		if n == 0 && err == nil {
			return 0, io.EOF
		}
		return n, err
	}
}

func (f FD) Write(p []byte) (int, error) { return unix.Write(int(f), p) }

// EchoFD echoes everything read on fd with blocking syscalls until EOF: the
// raw peer. It returns the exit code for the peer process.
func EchoFD(fd int) int {
	buf := make([]byte, 64<<10)
	for {
		n, err := FD(fd).Read(buf)
		if err != nil {
			return 0
		}
		if _, err := FD(fd).Write(buf[:n]); err != nil {
			return 1
		}
	}
}

// RoundTrips times n ping-pongs of size bytes over rw, after warm untimed
// ones.
func RoundTrips(b *testing.B, rw io.ReadWriter, size, warm, n int) time.Duration {
	msg := make([]byte, size)
	got := make([]byte, size)
	round := func() {
		if _, err := rw.Write(msg); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(rw, got); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < warm; i++ {
		round()
	}
	start := time.Now()
	for i := 0; i < n; i++ {
		round()
	}
	return time.Since(start)
}

// Report adds the baseline's time per operation (raw-ns/unit) and the ratio
// of took to raw (x-raw) to the benchmark's results.
func Report(b *testing.B, took, raw time.Duration, unit string) {
	b.ReportMetric(float64(raw.Nanoseconds())/float64(b.N), "raw-ns/"+unit)
	b.ReportMetric(float64(took)/float64(raw), "x-raw")
}
