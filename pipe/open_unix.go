//go:build !windows

package pipe

import (
	"os"

	"golang.org/x/sys/unix"
)

// SocketPair returns the two ends of a connected unix socket pair, made as
// configured (set IPC for pipes that carry handles).
func (c Config) SocketPair() (*Pipe, *Pipe, error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, nil, openError(os.NewSyscallError("socketpair", err))
	}
	return c.openPair(fds[0], fds[1])
}

// OSPipeFDs returns the fds of a new one-way OS pipe, its read end and its
// write end, exactly as bare-pipe's Pipe.pipe() returns them: open,
// close-on-exec, still blocking, owned by the caller, to hand to a child
// process (exec.Cmd.ExtraFiles) or to open later with Open.
func OSPipeFDs() (r, w int, err error) {
	var fds [2]int
	if err := unix.Pipe2(fds[:], unix.O_CLOEXEC); err != nil {
		return -1, -1, openError(os.NewSyscallError("pipe2", err))
	}
	return fds[0], fds[1], nil
}

// fdAccess reads fd's access mode (F_GETFL): a closed fd is EBADF.
func fdAccess(fd int) (access, error) {
	fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	if err != nil {
		return 0, os.NewSyscallError("fcntl", err)
	}
	switch fl & unix.O_ACCMODE {
	case unix.O_RDONLY:
		return accessRead, nil
	case unix.O_WRONLY:
		return accessWrite, nil
	}
	return accessReadWrite, nil
}

// closeFD closes an fd the package made and did not open as a pipe.
func closeFD(fd int) { unix.Close(fd) }
