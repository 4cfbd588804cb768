//go:build !linux && !windows

package nodeipc

// socketRef: received sockets are not followed here (see socketList).
type socketRef struct{}

func socketRefOf(int) (socketRef, bool) { return socketRef{}, false }

func openSockets() (func(socketRef) bool, bool) { return nil, false }
