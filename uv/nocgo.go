//go:build !cgo

// Code generated from package uv's cgo build by a throwaway program (every
// exported name, with the same signature); DO NOT EDIT by hand: regenerate
// when the API changes. See "Without cgo" in the package doc.

package uv

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"time"
)

// errNoCgo is ErrNoCgo, the error of every stub.
var errNoCgo = ErrNoCgo

type Async struct {
	Handle
}

func NewAsync(l *Loop, fn func()) (*Async, error) { return *new(*Async), errNoCgo }

func (a *Async) Send() error { return errNoCgo }

func (a *Async) OnClose(fn func()) {}

func Default() *Loop { return *new(*Loop) }

type Detached struct {
}

func (d *Detached) Type() HandleType { return *new(HandleType) }

func (t *TCP) Detach() (*Detached, error) { return *new(*Detached), errNoCgo }

func (p *Pipe) Detach() (*Detached, error) { return *new(*Detached), errNoCgo }

func (u *UDP) Detach() (*Detached, error) { return *new(*Detached), errNoCgo }

func (d *Detached) Attach(l *Loop) (IPCAcceptable, error) { return *new(IPCAcceptable), errNoCgo }

func (d *Detached) Close() error { return errNoCgo }

// ErrWouldBlock is returned by an operation that would have to wait, called
// from inside a handler or a function run by Loop.Do, where waiting is not
// allowed (the loop cannot make progress while its lock is held).
var ErrWouldBlock = errors.New("uv: operation would block inside the loop")

// ErrLoopClosed is returned by an operation on a loop that has been closed.
// It wraps net.ErrClosed.
var ErrLoopClosed = fmt.Errorf("uv: loop closed: %w", net.ErrClosed)

func ErrName(err error) string { return *new(string) }

func Version() string { return *new(string) }

type Handle struct {
}

func (h *Handle) Loop() *Loop { return *new(*Loop) }

func (h *Handle) Type() HandleType { return *new(HandleType) }

func (h *Handle) Close() error { return errNoCgo }

func (h *Handle) Ref() {}

func (h *Handle) Unref() {}

func (h *Handle) HasRef() bool { return *new(bool) }

func (h *Handle) Fd() int { return *new(int) }

type HandlerPanic struct {
	Value any
	Stack []byte
}

func (p *HandlerPanic) Error() string { return *new(string) }

func (p *HandlerPanic) Unwrap() error { return errNoCgo }

type HandleType int

// The handle types, with libuv's numbers: those that matter for handle
// passing, and those of the handles without an fd that Type reports.
const (
	UnknownHandle HandleType = 0
	AsyncHandle   HandleType = 1
	NamedPipe     HandleType = 7
	TCPHandle     HandleType = 12
	TimerHandle   HandleType = 13
	TTYHandle     HandleType = 14
	UDPHandle     HandleType = 15
	FileHandle    HandleType = 17
)

func (t HandleType) String() string { return *new(string) }

type IPCAcceptable interface {
	IPCHandle() *Handle
}

type IPCAcceptHook interface {
	IPCAccepted()
}

// ErrInvalidIPCTarget is returned for an IPCAcceptable, to accept into or to
// send, whose IPCHandle is nil (bare-pipe's INVALID_IPC_TARGET).
var ErrInvalidIPCTarget = errors.New("uv: invalid IPC target: IPCHandle returned nil")

// ErrNoPendingHandle is returned by AcceptHandle when no handle is pending.
var ErrNoPendingHandle = errors.New("uv: no pending handle")

func (p *Pipe) AcceptHandle(target IPCAcceptable) error { return errNoCgo }

type Loop struct {
}

type LoopConfig struct {
	Manual bool
}

func NewLoop() (*Loop, error) { return *new(*Loop), errNoCgo }

func (c LoopConfig) NewLoop() (*Loop, error) { return *new(*Loop), errNoCgo }

func (l *Loop) Close() error { return errNoCgo }

func (l *Loop) InLoop() bool { return *new(bool) }

func (l *Loop) Do(f func()) error { return errNoCgo }

func (l *Loop) Post(f func()) error { return errNoCgo }

func (l *Loop) Refs() int { return *new(int) }

func (l *Loop) HandleCount() int { return *new(int) }

func (l *Loop) Wait(ctx context.Context) error { return errNoCgo }

func (l *Loop) Run(ctx context.Context) error { return errNoCgo }

type Pipe struct {
	Stream
}

func NewPipe(l *Loop, ipc bool, bufSize int) (*Pipe, error) { return *new(*Pipe), errNoCgo }

func (p *Pipe) IPC() bool { return *new(bool) }

func (p *Pipe) IPCHandle() *Handle { return *new(*Handle) }

func (p *Pipe) Open(fd int) error { return errNoCgo }

func (p *Pipe) Bind(path string) error { return errNoCgo }

func (p *Pipe) Listen(backlog int) error { return errNoCgo }

func (p *Pipe) OnConnection(fn func(err error)) {}

func (p *Pipe) Accept(ipc bool, bufSize int) (*Pipe, error) { return *new(*Pipe), errNoCgo }

func (p *Pipe) Connect(ctx context.Context, path string) error { return errNoCgo }

func (p *Pipe) WriteHandle(b []byte, h IPCAcceptable) (int, error) { return *new(int), errNoCgo }

func (p *Pipe) WriteHandleAndClose(b []byte, h IPCAcceptable) (int, error) {
	return *new(int), errNoCgo
}

func (p *Pipe) WriteFD(b []byte, fd int, t HandleType) (int, error) { return *new(int), errNoCgo }

func (p *Pipe) ReadHandles(b []byte) (int, []*Received, error) {
	return *new(int), *new([]*Received), errNoCgo
}

func (p *Pipe) OnHandle(fn func(t HandleType)) {}

func (p *Pipe) PendingCount() int { return *new(int) }

func (p *Pipe) PendingType() HandleType { return *new(HandleType) }

func PrivateFastPaths() bool { return *new(bool) }

type Received struct {
	Type HandleType
}

func (r *Received) Fd() int { return *new(int) }

func (r *Received) Handle() (IPCAcceptable, error) { return *new(IPCAcceptable), errNoCgo }

func (r *Received) Close() error { return errNoCgo }

func (r *Received) File() (*os.File, error) { return *new(*os.File), errNoCgo }

func (r *Received) AcceptInto(target IPCAcceptable) error { return errNoCgo }

func (h *Handle) Control(f func(fd int) error) error { return errNoCgo }

func GuessHandle(fd int) HandleType { return *new(HandleType) }

func OpenFD(l *Loop, fd int) (IPCAcceptable, error) { return *new(IPCAcceptable), errNoCgo }

func OpenFDAs(l *Loop, fd int, t HandleType) (IPCAcceptable, error) {
	return *new(IPCAcceptable), errNoCgo
}

// DefaultReadBufferSize is the size of a stream's C read buffer, and so the
// most one read callback delivers, unless a config says otherwise.
const DefaultReadBufferSize = 65536

type Stream struct {
	Handle
}

func (s *Stream) Close() error { return errNoCgo }

func (s *Stream) OnRead(fn func(data []byte, err error)) error { return errNoCgo }

func (s *Stream) SetReadDeadline(t time.Time) error { return errNoCgo }

func (s *Stream) SetWriteDeadline(t time.Time) error { return errNoCgo }

func (s *Stream) SetDeadline(t time.Time) error { return errNoCgo }

func (s *Stream) Read(p []byte) (int, error) { return *new(int), errNoCgo }

// MaxUnclaimedHandles is how many handles a plain Read may pass over and
// keep for a later ReadHandles; beyond it the oldest is closed, so a peer
// cannot fill the fd table of a program that reads an IPC pipe without
// taking its handles (Node's channel keeps as many).
const MaxUnclaimedHandles = 16

func (s *Stream) Write(p []byte) (int, error) { return *new(int), errNoCgo }

func (s *Stream) WriteQueueSize() int { return *new(int) }

func (s *Stream) CloseWrite() error { return errNoCgo }

type TCP struct {
	Stream
}

func NewTCP(l *Loop) (*TCP, error) { return *new(*TCP), errNoCgo }

func (t *TCP) IPCHandle() *Handle { return *new(*Handle) }

func (t *TCP) Open(fd int) error { return errNoCgo }

func (t *TCP) Bind(addr any) error { return errNoCgo }

func (t *TCP) Listen(backlog int) error { return errNoCgo }

func (t *TCP) OnConnection(fn func(err error)) {}

func (t *TCP) Accept() (*TCP, error) { return *new(*TCP), errNoCgo }

func DialTCP(ctx context.Context, l *Loop, addr any) (*TCP, error) { return *new(*TCP), errNoCgo }

func (t *TCP) LocalAddr() net.Addr { return *new(net.Addr) }

func (t *TCP) RemoteAddr() net.Addr { return *new(net.Addr) }

func (t *TCP) SetNoDelay(on bool) error { return errNoCgo }

func (t *TCP) SetKeepAlive(on bool, delay time.Duration) error { return errNoCgo }

type Timer struct {
	Handle
}

func NewTimer(l *Loop, fn func()) (*Timer, error) { return *new(*Timer), errNoCgo }

func (t *Timer) Start(timeout, repeat time.Duration) error { return errNoCgo }

func (t *Timer) Stop() error { return errNoCgo }

type UDP struct {
	Handle
}

func NewUDP(l *Loop) (*UDP, error) { return *new(*UDP), errNoCgo }

func (u *UDP) IPCHandle() *Handle { return *new(*Handle) }

func (u *UDP) Open(fd int) error { return errNoCgo }

func (u *UDP) Bind(addr any) error { return errNoCgo }

func (u *UDP) LocalAddr() net.Addr { return *new(net.Addr) }

func (u *UDP) WriteTo(p []byte, addr any) (int, error) { return *new(int), errNoCgo }

func (u *UDP) ReadFrom(p []byte) (int, *net.UDPAddr, error) {
	return *new(int), *new(*net.UDPAddr), errNoCgo
}

func (u *UDP) Close() error { return errNoCgo }

func (u *UDP) OnRecv(fn func(data []byte, from *net.UDPAddr, err error)) error { return errNoCgo }

func (u *UDP) SetReadDeadline(t time.Time) error { return errNoCgo }

func (s *Stream) OnWriteDone(fn func(queued int, err error)) error { return errNoCgo }
