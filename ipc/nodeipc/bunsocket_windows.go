package nodeipc

import (
	"encoding/hex"
	"fmt"
	"os/exec"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
)

// Bun's sockets on Windows. bun.exe does not take a socket from libuv's
// transfer on its IPC pipe: it reads one from its NODE_HANDLE message, whose
// field bunSocketInfoKey holds the socket's WSAPROTOCOL_INFOW, made with
// WSADuplicateSocketW for the receiving process, in hexadecimal. A channel
// whose peer is bun.exe (bunPid set) sends its handles that way: the
// message with that field and no transfer, a fresh duplicate for each
// retransmission.

// bunSocketInfoKey is the field of a NODE_HANDLE message that carries a
// socket for bun.exe.
const bunSocketInfoKey = "$winSocketInfo"

// bunSocketInfo returns the hexadecimal WSAPROTOCOL_INFOW of h's socket,
// duplicated for process pid.
func bunSocketInfo(h any, pid uint32) (string, error) {
	var info windows.WSAProtocolInfo
	var derr error
	dup := func(fd uintptr) {
		derr = windows.WSADuplicateSocket(windows.Handle(fd), pid, &info)
	}
	var err error
	switch v := h.(type) {
	case uv.IPCAcceptable:
		hd := v.IPCHandle()
		if hd == nil {
			return "", uv.ErrInvalidIPCTarget
		}
		err = hd.Control(func(fd int) error { dup(uintptr(fd)); return nil })
	case syscall.Conn:
		rc, cerr := v.SyscallConn()
		if cerr != nil {
			return "", cerr
		}
		err = rc.Control(dup)
	default:
		return "", fmt.Errorf("cannot send a %T", h)
	}
	if err == nil {
		err = derr
	}
	if err != nil {
		return "", fmt.Errorf("WSADuplicateSocketW for bun.exe (pid %d): %w", pid, err)
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(&info)), unsafe.Sizeof(info))
	return hex.EncodeToString(b), nil
}

// bunHandleData is the NODE_HANDLE message of o for a bun.exe peer: its
// socket in bunSocketInfoKey. Called with wmu held.
func (c *Channel) bunHandleData(o *outgoing) ([]byte, error) {
	info, err := bunSocketInfo(o.handle, c.bunPid)
	if err != nil {
		return nil, err
	}
	m := handleWrapper(o.value, o.kind)
	m.Set(bunSocketInfoKey, info)
	return encode(nil, c.wire, m)
}

// commandBunPid is the pid of cmd's started child when it is bun.exe's (rt
// Bun, or rt empty and the program bun's): the process Bun's socket field
// is made for. 0 otherwise.
func commandBunPid(cmd *exec.Cmd, rt Runtime) uint32 {
	if rt == Bun || (rt == "" && isBunProgram(cmd.Path)) {
		return uint32(cmd.Process.Pid)
	}
	return 0
}

// bunSocket takes the socket a bun.exe peer sent in the NODE_HANDLE
// message wrapper o (bunSocketInfoKey): WSASocketW makes it this process's
// from the WSAPROTOCOL_INFOW bun.exe duplicated for it. Nil when o has no
// such field or it does not make a socket.
func (c *Channel) bunSocket(o *jsvalue.Object) *pipe.ReceivedHandle {
	v, ok := o.Get(bunSocketInfoKey)
	text, _ := v.(string)
	if !ok || text == "" {
		return nil
	}
	var info windows.WSAProtocolInfo
	b, err := hex.DecodeString(text)
	if err != nil || len(b) != int(unsafe.Sizeof(info)) {
		return nil
	}
	copy(unsafe.Slice((*byte)(unsafe.Pointer(&info)), unsafe.Sizeof(info)), b)
	const fromProtocolInfo = -1
	s, err := windows.WSASocket(fromProtocolInfo, fromProtocolInfo, fromProtocolInfo, &info, 0,
		windows.WSA_FLAG_OVERLAPPED|windows.WSA_FLAG_NO_HANDLE_INHERIT)
	if err != nil {
		return nil
	}
	return c.p.AdoptReceived(int(s))
}
