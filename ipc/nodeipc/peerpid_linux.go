package nodeipc

import "golang.org/x/sys/unix"

// socketCreator returns the pid of the process that made the socket pair fd
// belongs to: for a socketpair(2) both ends carry their creator's
// credentials (SO_PEERCRED), which for an inherited channel is the parent
// that made it, even when other processes (a shell, go run) stand between.
func socketCreator(fd int) (int, bool) {
	cred, err := unix.GetsockoptUcred(fd, unix.SOL_SOCKET, unix.SO_PEERCRED)
	if err != nil || cred.Pid <= 0 {
		return 0, false
	}
	return int(cred.Pid), true
}
