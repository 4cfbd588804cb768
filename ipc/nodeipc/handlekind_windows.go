package nodeipc

import (
	"fmt"

	"github.com/uvpipe/uvpipe/pipe"
)

// kindOfFD is kindOf for a SOCKET (or another HANDLE), from pipe.KindOf.
// Windows passes only TCP sockets between processes (libuv duplicates them
// with WSADuplicateSocket): anything else is refused.
func kindOfFD(fd int) (handleKind, error) {
	k, err := pipe.KindOf(fd)
	if err != nil {
		return handleKind{}, err
	}
	switch k {
	case pipe.KindTCPListener, pipe.KindTCPConn:
		return handleKind{typ: k.NodeType()}, nil
	case pipe.KindFile:
		return handleKind{}, ErrNotSocket
	}
	return handleKind{}, fmt.Errorf("%w: a %v, and Windows passes only TCP sockets (net.Server, net.Socket)", ErrNotSocket, k)
}
