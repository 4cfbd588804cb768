//go:build !windows

package bareipc

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/pipe"
)

// PortEnv is the environment variable that tells a child which of its fds
// are the port it was handed: "IN,OUT".
const PortEnv = "UVPIPE_IPC_PORT"

// HandTo hands the port on to a child process that cmd will start: its two
// fds join cmd.ExtraFiles, and PortEnv tells the child where they are (see
// FromEnv). The port is used up. Call the returned function once cmd has
// started (or failed to) to close this process's copies.
func (p *Port) HandTo(cmd *exec.Cmd) (release func(), err error) {
	in, out, err := p.Detach()
	if err != nil {
		return nil, err
	}
	fin, fout := os.NewFile(uintptr(in), "port-in"), os.NewFile(uintptr(out), "port-out")
	first := 3 + len(cmd.ExtraFiles)
	cmd.ExtraFiles = append(cmd.ExtraFiles, fin, fout)
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, fmt.Sprintf("%s=%d,%d", PortEnv, first, first+1))
	return func() {
		fin.Close()
		fout.Close()
	}, nil
}

// ErrNoPort is returned by FromEnv in a process that was handed no port.
var ErrNoPort = errors.New("bareipc: no port was handed to this process (" + PortEnv + " is not set)")

// FromEnv rebuilds the port a parent handed on with HandTo, and removes
// PortEnv from the environment.
func FromEnv() (*Port, error) {
	v, ok := os.LookupEnv(PortEnv)
	if !ok {
		return nil, ErrNoPort
	}
	os.Unsetenv(PortEnv)
	a, b, found := strings.Cut(v, ",")
	in, err1 := strconv.Atoi(a)
	out, err2 := strconv.Atoi(b)
	if !found || err1 != nil || err2 != nil || in < 0 || out < 0 {
		return nil, fmt.Errorf("bareipc: %s=%q is not IN,OUT", PortEnv, v)
	}
	for _, fd := range []int{in, out} {
		if _, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err != nil {
			return nil, fmt.Errorf("bareipc: %s names fd %d, which is not open", PortEnv, fd)
		}
		unix.CloseOnExec(fd)
	}
	return FromFDs(in, out), nil
}

// portTag is the byte each of a port's two handles travels with.
const portTag = 'P'

// SendPort hands the port on over an IPC pipe, as two handles (incoming
// pipe first), each with one byte. The port is used up.
func SendPort(p *pipe.Pipe, port *Port) error {
	in, out, err := port.Detach()
	if err != nil {
		return err
	}
	files := []*os.File{os.NewFile(uintptr(in), "port-in"), os.NewFile(uintptr(out), "port-out")}
	defer files[0].Close()
	defer files[1].Close()
	for _, f := range files {
		if _, err := p.WriteHandle([]byte{portTag}, f); err != nil {
			return fmt.Errorf("bareipc: sending a port: %w", err)
		}
	}
	return nil
}

// ReceivePort reads a port sent with SendPort from an IPC pipe: the next two
// bytes read must each bring one handle.
func ReceivePort(p *pipe.Pipe) (*Port, error) {
	var fds []int
	buf := make([]byte, 1)
	for len(fds) < 2 {
		n, hs, err := p.ReadHandles(buf)
		for _, h := range hs {
			fd, derr := unix.FcntlInt(uintptr(h.Fd()), unix.F_DUPFD_CLOEXEC, 0)
			h.Close()
			if derr != nil {
				err = errors.Join(err, os.NewSyscallError("fcntl", derr))
				continue
			}
			fds = append(fds, fd)
		}
		if err == nil && (n != 1 || buf[0] != portTag || len(hs) != 1) {
			err = fmt.Errorf("bareipc: a port is two handles each sent with %q", portTag)
		}
		if err != nil {
			for _, fd := range fds {
				unix.Close(fd)
			}
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, fmt.Errorf("bareipc: receiving a port: %w", err)
		}
	}
	return FromFDs(fds[0], fds[1]), nil
}
