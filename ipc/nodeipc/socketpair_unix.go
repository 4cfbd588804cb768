//go:build unix

package nodeipc

import (
	"os"

	"golang.org/x/sys/unix"
)

// socketPair makes the channel's unix stream socket pair, both ends
// close-on-exec (exec places the child's end at its fd without the flag).
func socketPair() (parentFD int, child *os.File, err error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, nil, os.NewSyscallError("socketpair", err)
	}
	return fds[0], os.NewFile(uintptr(fds[1]), "ipc-channel"), nil
}

func closeFD(fd int) { unix.Close(fd) }
