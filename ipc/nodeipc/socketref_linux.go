//go:build linux

package nodeipc

import (
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// socketRef identifies a received socket on Linux: its inode, which every
// fd of it shares.
type socketRef = uint64

// socketRefOf returns the reference of the socket at fd.
func socketRefOf(fd int) (socketRef, bool) {
	var st unix.Stat_t
	if fd < 0 || unix.Fstat(fd, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFSOCK {
		return 0, false
	}
	return st.Ino, true
}

// openSockets returns a test of whether a socket is still open here: whether
// any fd of this process is that socket, read once from /proc/self/fd
// ("socket:[inode]" links).
func openSockets() (func(socketRef) bool, bool) {
	d, err := os.Open("/proc/self/fd")
	if err != nil {
		return nil, false
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return nil, false
	}
	live := make(map[uint64]bool)
	for _, name := range names {
		link, err := os.Readlink("/proc/self/fd/" + name)
		if err != nil || !strings.HasPrefix(link, "socket:[") || !strings.HasSuffix(link, "]") {
			continue
		}
		if ino, err := strconv.ParseUint(link[len("socket:["):len(link)-1], 10, 64); err == nil {
			live[ino] = true
		}
	}
	return func(r socketRef) bool { return live[r] }, true
}
