//go:build cgo

package uv

import "fmt"

// receivedAsFile: on Windows a received handle is a SOCKET, which Go's net
// package cannot adopt from an *os.File (Received.File refuses it).
const receivedAsFile = false

// openReceived makes a *TCP on loop l holding a received SOCKET: libuv on
// Windows passes only TCP servers and connections, and uv_tcp_open tells
// which one it is (a connected socket is readable and writable at once).
func openReceived(l *Loop, fd int, _ HandleType) (IPCAcceptable, error) {
	return OpenFDAs(l, fd, TCPHandle)
}

// sendable reports whether a handle of type t can be sent over an IPC pipe
// here: libuv for Windows passes TCP sockets only (uv_write2 exports a
// uv_tcp_t with WSADuplicateSocketW); a pipe or a UDP socket is refused
// with ErrNotPassable before anything is written.
func sendable(t HandleType) error {
	if t == TCPHandle {
		return nil
	}
	return fmt.Errorf("%w: a %v handle (libuv on Windows passes TCP handles only)", ErrNotPassable, t)
}

// AdoptReceived makes a Received of fd, a SOCKET of a TCP server or
// connection that this process got otherwise than from libuv's transfer
// (bun.exe sends one as a WSAPROTOCOL_INFOW in its message), on loop l (the
// default loop if nil). The Received owns fd from then on.
func AdoptReceived(l *Loop, fd int) *Received {
	if l == nil {
		l = Default()
	}
	return &Received{Type: TCPHandle, fd: fd, loop: l}
}
