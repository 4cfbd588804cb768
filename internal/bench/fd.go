//go:build !windows

package bench

import (
	"io"

	"golang.org/x/sys/unix"
)

// FD is blocking read(2)/write(2) on a raw fd: the baseline every ratio is
// taken against. A read of 0 bytes is io.EOF.
type FD int

// Read reads with read(2), retrying on EINTR.
func (f FD) Read(p []byte) (int, error) {
	for {
		n, err := unix.Read(int(f), p)
		if err == unix.EINTR {
			continue
		}
		if n == 0 && err == nil {
			return 0, io.EOF
		}
		if n < 0 {
			n = 0
		}
		return n, err
	}
}

// Write writes with write(2).
func (f FD) Write(p []byte) (int, error) { return unix.Write(int(f), p) }
