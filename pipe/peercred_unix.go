//go:build !windows

package pipe

import (
	"os"

	"golang.org/x/sys/unix"
)

// PeerCred returns the peer's credentials (SO_PEERCRED): the process that
// connected, or made the socket pair.
func (p *Pipe) PeerCred() (Cred, error) {
	var c Cred
	err := p.p.Control(func(fd int) error {
		u, err := unix.GetsockoptUcred(fd, unix.SOL_SOCKET, unix.SO_PEERCRED)
		if err != nil {
			return os.NewSyscallError("getsockopt", err)
		}
		c = Cred{PID: int(u.Pid), UID: int(u.Uid), GID: int(u.Gid)}
		return nil
	})
	if err != nil {
		return Cred{}, p.opError("peercred", err)
	}
	return c, nil
}
