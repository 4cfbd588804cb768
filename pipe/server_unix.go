//go:build !windows

package pipe

import (
	"context"
	"errors"
	"net"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/uv"
)

// bindPath binds a new pipe to path. A socket file left by a server that is
// gone (a dial finds nobody listening) is replaced; a live one is
// EADDRINUSE.
func (c ServerConfig) bindPath(path string) (*uv.Pipe, error) {
	l, err := c.bind(path)
	if errors.Is(err, syscall.EADDRINUSE) && fileName(path) && stale(path) {
		os.Remove(path)
		l, err = c.bind(path)
	}
	return l, err
}

// applyMode sets the socket file's mode; an abstract or autobound socket
// has no file (EINVAL).
func applyMode(path string, mode os.FileMode) error {
	if !fileName(path) {
		return os.NewSyscallError("chmod", syscall.EINVAL) // no file to chmod
	}
	return os.Chmod(path, mode)
}

// boundAddr is the server's address: the path it was given, or, for an
// abstract or autobound socket, the name the kernel reports.
func boundAddr(l *uv.Pipe, addr *net.UnixAddr) *net.UnixAddr {
	if fileName(addr.Name) {
		return addr
	}
	l.Control(func(fd int) error {
		if sa, err := unix.Getsockname(fd); err == nil {
			addr = unixAddr(sa)
		}
		return nil
	})
	return addr
}

// fileName reports whether path names a socket file, not a Linux abstract
// socket ("@name") or autobind ("").
func fileName(path string) bool { return path != "" && path[0] != '@' && path[0] != 0 }

// stale reports whether the socket file at path has nobody listening.
func stale(path string) bool {
	st, err := os.Lstat(path)
	if err != nil || st.Mode()&os.ModeSocket == 0 {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	c, err := (&net.Dialer{}).DialContext(ctx, "unix", path)
	if err == nil {
		c.Close()
		return false
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

// listenName is the name Listen binds: path itself off Windows.
func listenName(path string) string { return path }

// dialName is the name Dial connects to: path itself off Windows.
func dialName(path string) string { return path }
