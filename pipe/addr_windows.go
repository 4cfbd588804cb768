package pipe

import "net"

// sockAddrs returns the pipe's addresses. A named pipe has one name, which
// both ends share: a pipe that was dialed or accepted has it as its local and
// remote address (as Go's own Windows named-pipe packages do); a pipe of a
// pair or one opened over a CRT fd has an unnamed address.
func (p *Pipe) sockAddrs() (laddr, raddr *net.UnixAddr) {
	name := p.name
	if name == "" && p.srv != nil {
		name = p.srv.addr.Name
	}
	return &net.UnixAddr{Name: name, Net: "unix"}, &net.UnixAddr{Name: name, Net: "unix"}
}
