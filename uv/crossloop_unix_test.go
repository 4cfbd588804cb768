//go:build cgo && !windows

package uv_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/uv"
)

// The cross-loop test that cannot apply to Windows: there WriteFD always
// sends a duplicate that WSADuplicateSocketW makes (pipe.go), and a process
// has no fd limit to use up, so no WriteFD can fall back to the caller's
// borrowed socket.

// writeFDEMFILEChild is the child's part of TestWriteFDWithoutDupFails: with
// no fd left to duplicate into, a WriteFD whose handle must wait in libuv's
// queue fails with EMFILE rather than queue the caller's borrowed fd.
func writeFDEMFILEChild() int {
	fail := func(f string, a ...any) int { fmt.Printf(f+"\n", a...); return 1 }
	l, err := uv.NewLoop()
	if err != nil {
		return fail("loop: %v", err)
	}
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, 0)
	if err != nil {
		return fail("socketpair: %v", err)
	}
	send, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return fail("socket: %v", err)
	}
	for { // fill the socket: the handle's first bytes cannot go at once
		if _, err := unix.Write(fds[0], make([]byte, 65536)); err != nil {
			break
		}
	}
	p, err := uv.NewPipe(l, true, 0)
	if err != nil || p.Open(fds[0]) != nil {
		return fail("pipe: %v", err)
	}
	// The bound only ends the old behaviour (a Write waiting with the
	// borrowed fd queued); the new one fails before it queues.
	p.SetWriteDeadline(time.Now().Add(30 * time.Second))
	var lim unix.Rlimit
	unix.Getrlimit(unix.RLIMIT_NOFILE, &lim)
	lim.Cur = 64
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		return fail("setrlimit: %v", err)
	}
	for { // use up every fd
		if _, err := unix.Open("/dev/null", unix.O_RDONLY|unix.O_CLOEXEC, 0); err != nil {
			break
		}
	}
	_, err = p.WriteFD([]byte("handle"), send, uv.NamedPipe)
	if !errors.Is(err, unix.EMFILE) {
		return fail("WriteFD: %v, want EMFILE", err)
	}
	fmt.Println("WriteFD failed with EMFILE")
	return 0
}

// A WriteFD whose handle has to be queued, when its fd cannot be duplicated
// for the request, fails with the error instead of queuing the caller's
// borrowed fd (which the caller may close or reuse once WriteFD returns).
// In a child process: it uses up its fds.
func TestWriteFDWithoutDupFails(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=writefd-emfile")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "WriteFD failed with EMFILE")
}
