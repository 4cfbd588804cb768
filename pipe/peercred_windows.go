package pipe

import (
	"os"

	"golang.org/x/sys/windows"
)

// PeerCred returns the id of the process at the other end of the named pipe
// (GetNamedPipeClientProcessId from the server's end,
// GetNamedPipeServerProcessId from the client's), with UID and GID -1: a
// named pipe has no unix credentials. A pipe that is not a named pipe (an
// anonymous pipe's end) fails with the error of GetNamedPipeInfo.
func (p *Pipe) PeerCred() (Cred, error) {
	var c Cred
	err := p.p.Control(func(fd int) error {
		h := windows.Handle(fd)
		var flags uint32
		if err := windows.GetNamedPipeInfo(h, &flags, nil, nil, nil); err != nil {
			return os.NewSyscallError("GetNamedPipeInfo", err)
		}
		var pid uint32
		if flags&windows.PIPE_SERVER_END != 0 {
			if err := windows.GetNamedPipeClientProcessId(h, &pid); err != nil {
				return os.NewSyscallError("GetNamedPipeClientProcessId", err)
			}
		} else if err := windows.GetNamedPipeServerProcessId(h, &pid); err != nil {
			return os.NewSyscallError("GetNamedPipeServerProcessId", err)
		}
		c = Cred{PID: int(pid), UID: -1, GID: -1}
		return nil
	})
	if err != nil {
		return Cred{}, p.opError("peercred", err)
	}
	return c, nil
}
