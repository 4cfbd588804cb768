//go:build !windows

package pipe

import (
	"os"

	"golang.org/x/sys/unix"
)

// File returns a duplicate of the pipe's fd as an *os.File, as
// (*net.UnixConn).File does; closing one does not close the other.
func (p *Pipe) File() (*os.File, error) {
	var f *os.File
	err := p.p.Control(func(fd int) error {
		nfd, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
		if err != nil {
			return os.NewSyscallError("fcntl", err)
		}
		f = os.NewFile(uintptr(nfd), "pipe")
		return nil
	})
	if err != nil {
		return nil, p.opError("file", err)
	}
	return f, nil
}
