//go:build unix

package nodeipc

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// checkOpen reports an fd that is not open, before Open hands it to pipe.
func checkOpen(fd int) error {
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err != nil {
		return fmt.Errorf("nodeipc: fd %d is not open: %w", fd, os.NewSyscallError("fcntl", err))
	}
	return nil
}
