package uv

/*
#include <stdint.h>
#include "shim.h"
int uvp_spawn(uv_loop_t *loop, uvp_handle *h, const char *file, char **args, char **env, const char *cwd,
              int n, const int *kinds, const intptr_t *vals, uvp_handle **pipes, unsigned flags, int *pid);
int uvp_process_kill(uvp_handle *h, int signum);
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unsafe"
)

// ProcessHandle is libuv's type number of a process handle (uv_process_t).
const ProcessHandle HandleType = 10

// StdioKind says what a child's fd is (Stdio).
type StdioKind int

// The kinds of a child's fd.
const (
	// StdioIgnore leaves the fd closed in the child; libuv opens the NUL
	// device for fds 0 to 2, which a child expects open.
	StdioIgnore StdioKind = iota
	// StdioInheritFD gives the child a duplicate of Stdio.FD, a C runtime
	// fd of this process (the CRT mingw links: msvcrt).
	StdioInheritFD
	// StdioInheritHandle gives the child a duplicate of Stdio.Handle, a
	// HANDLE of this process (an *os.File's Fd on Windows).
	StdioInheritHandle
	// StdioPipe makes a new duplex pipe whose parent end is Stdio.Pipe, a
	// pipe made with NewPipe and not yet opened, on the loop of the
	// process. An IPC pipe (NewPipe with ipc true) carries handles: libuv
	// records the child as its peer, for whom it duplicates the sockets it
	// sends. The child finds its end at the fd's index.
	StdioPipe
)

// Stdio is one fd of a child, at its index in ProcessOptions.Stdio.
type Stdio struct {
	Kind   StdioKind
	FD     int     // StdioInheritFD's C runtime fd
	Handle uintptr // StdioInheritHandle's HANDLE
	Pipe   *Pipe   // StdioPipe's parent end
}

// ProcessOptions describes a child for Spawn.
type ProcessOptions struct {
	// File is the program: a path, or a name libuv looks up in the PATH
	// of Env (of this process's environment when Env is nil).
	File string
	// Args are the child's arguments, Args[0] its name by convention
	// ([File] when empty). libuv quotes them into one command line as the
	// C runtime parses it.
	Args []string
	// Env is the child's environment ("KEY=value"); nil gives it this
	// process's. libuv adds the variables Windows needs (SYSTEMROOT...)
	// when they are missing.
	Env []string
	// Dir is the child's working directory ("" for this process's).
	Dir string
	// Stdio are the child's fds from 0 on: its C runtime's inherited-fd
	// table, which the child's CRT and libuv read at start (uv_spawn
	// passes it in STARTUPINFO's lpReserved2). Fds 0 to 2 left out are
	// opened on the NUL device.
	Stdio []Stdio
	// HideWindow keeps a console or GUI child from showing a window.
	HideWindow bool
	// OnExit, if set, runs under the loop lock when the child has exited,
	// with its exit code and the signal it was ended with (Kill's signum;
	// 0 when it exited by itself).
	OnExit func(status int64, signal int)
}

// ExitStatus is how a child ended: its exit code, and the signal Kill
// ended it with (0 if it exited by itself).
type ExitStatus struct {
	Code   int64
	Signal int
}

// Process is a child started by Spawn: a libuv process handle, which keeps
// its loop alive until the child has exited and the handle is closed.
type Process struct {
	Handle
	pid    int
	onExit func(status int64, signal int)
	// Under the loop lock.
	exited bool
	status ExitStatus
}

// Spawn starts a child as o describes, on loop l (the default loop if nil),
// with libuv's uv_spawn. Its StdioPipe pipes must belong to l. On error no
// child runs and the handle is closed.
func Spawn(l *Loop, o ProcessOptions) (*Process, error) {
	if o.File == "" {
		return nil, errors.New("uv: Spawn needs ProcessOptions.File")
	}
	for i, s := range o.Stdio {
		if s.Kind == StdioPipe && (s.Pipe == nil || (l != nil && s.Pipe.loop != l) || (l == nil && s.Pipe.loop != Default())) {
			return nil, fmt.Errorf("uv: Spawn: Stdio[%d] needs a Pipe of the process's loop", i)
		}
	}
	return makeHandle(l, func(l *Loop) (*Process, error) { return spawnLocked(l, o) })
}

// cStrings is a NULL-terminated C array of copies of ss, nil for nil ss.
func cStrings(ss []string) **C.char {
	if ss == nil {
		return nil
	}
	arr := (*[1 << 28]*C.char)(C.calloc(C.size_t(len(ss)+1), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	for i, s := range ss {
		arr[i] = C.CString(s)
	}
	return &arr[0]
}

func freeCStrings(p **C.char, n int) {
	if p == nil {
		return
	}
	arr := (*[1 << 28]*C.char)(unsafe.Pointer(p))
	for i := 0; i < n; i++ {
		C.free(unsafe.Pointer(arr[i]))
	}
	C.free(unsafe.Pointer(p))
}

func spawnLocked(l *Loop, o ProcessOptions) (*Process, error) {
	args := o.Args
	if len(args) == 0 {
		args = []string{o.File}
	}
	n := len(o.Stdio)
	kinds := make([]C.int, n+1)
	vals := make([]C.intptr_t, n+1)
	// The pipes' C handles, in C memory (Go memory passed to C must not
	// hold Go pointers; these are C pointers, but C memory keeps it plain).
	pipes := (*[1 << 20]*C.uvp_handle)(C.calloc(C.size_t(n+1), C.size_t(unsafe.Sizeof((*C.uvp_handle)(nil)))))
	defer C.free(unsafe.Pointer(pipes))
	for i, s := range o.Stdio {
		kinds[i] = C.int(s.Kind)
		switch s.Kind {
		case StdioInheritFD:
			vals[i] = C.intptr_t(s.FD)
		case StdioInheritHandle:
			vals[i] = C.intptr_t(s.Handle)
		case StdioPipe:
			if err := s.Pipe.usable(); err != nil {
				return nil, err
			}
			pipes[i] = s.Pipe.ch
		}
	}
	file := C.CString(o.File)
	defer C.free(unsafe.Pointer(file))
	cargs := cStrings(args)
	defer freeCStrings(cargs, len(args))
	cenv := cStrings(o.Env)
	defer freeCStrings(cenv, len(o.Env))
	var cwd *C.char
	if o.Dir != "" {
		cwd = C.CString(o.Dir)
		defer C.free(unsafe.Pointer(cwd))
	}
	var flags C.uint
	if o.HideWindow {
		flags |= C.UV_PROCESS_WINDOWS_HIDE
	}
	p := &Process{onExit: o.OnExit}
	if err := p.init(l, p, ProcessHandle, 0); err != nil {
		return nil, err
	}
	var pid C.int
	r := C.uvp_spawn(l.cl, p.ch, file, cargs, cenv, cwd, C.int(n), &kinds[0], &vals[0], &pipes[0], flags, &pid)
	if r < 0 {
		// uv_spawn made the handle a libuv handle before it failed: it is
		// closed like any other.
		p.startClose()
		return nil, check("uv_spawn", r)
	}
	p.pid = int(pid)
	l.wake(&p.Handle)
	return p, nil
}

// Pid returns the child's process id.
func (p *Process) Pid() int { return p.pid }

// Kill sends signum to the child with uv_process_kill: on Windows SIGTERM,
// SIGKILL and SIGINT (15, 9, 2) end it (TerminateProcess), and 0 checks
// that it is still running. After the child has exited it fails with ESRCH.
func (p *Process) Kill(signum int) error {
	return p.locked(func() error {
		if p.exited {
			return check("uv_process_kill", C.UV_ESRCH)
		}
		return check("uv_process_kill", C.uvp_process_kill(p.ch, C.int(signum)))
	})
}

// Exited reports the child's exit status once it has exited.
func (p *Process) Exited() (ExitStatus, bool) {
	l := p.loop
	re := l.acquire()
	defer l.release(re)
	return p.status, p.exited
}

// Wait waits until the child has exited, or ctx is done, and returns its
// exit status. The handle stays open: Close it (before or after Wait).
// Inside a handler it returns ErrWouldBlock unless the child has exited.
func (p *Process) Wait(ctx context.Context) (ExitStatus, error) {
	l := p.loop
	defer l.wakeWhenDone(ctx, &p.Handle)()
	re := l.acquire()
	defer l.release(re)
	if re && !p.exited {
		return ExitStatus{}, ErrWouldBlock
	}
	var deadline *time.Time
	if d, ok := ctx.Deadline(); ok {
		deadline = &d
	}
	done := ctx.Done()
	err := l.awaitOn(&p.Handle, nil, func() bool {
		if p.exited || p.closed {
			return true
		}
		select {
		case <-done:
			return true
		default:
			return false
		}
	}, deadline)
	switch {
	case p.exited:
		return p.status, nil
	case err != nil:
		return ExitStatus{}, err
	case ctx.Err() != nil:
		return ExitStatus{}, ctx.Err()
	}
	return ExitStatus{}, errors.New("uv: the process handle was closed before the child exited")
}

func (p *Process) exitedCB(status int64, signal int) {
	p.exited = true
	p.status = ExitStatus{Code: status, Signal: signal}
	if p.onExit != nil {
		p.onExit(status, signal)
	}
}

//export goProcessExited
func goProcessExited(key unsafe.Pointer, status C.int64_t, signal C.int) {
	p := ownerOf(key).(*Process)
	defer p.loop.recoverPanic()
	p.loop.ranHandler()
	p.exitedCB(int64(status), int(signal))
	p.loop.notify(&p.Handle)
}
