package uv

/*
#include "shim.h"
*/
import "C"

import (
	"errors"
	"unsafe"
)

// Moving a listener between loops. A listening socket is only an fd in the
// kernel, whose backlog keeps filling while no loop watches it, so a
// listener moves as a duplicate of its fd: the old handle closes as usual
// (leaving this loop's epoll set; the duplicate keeps the socket listening),
// and the new loop opens the duplicate and re-issues listen(2) with the same
// backlog, which on a listening socket only sets the backlog again. What
// libuv had accepted already and the program had not taken (at most one)
// moves with it, taken with uv_accept, as does a pipe server's socket path,
// which the old handle would unlink on close and the new one unlinks
// instead. libuv has no call to take the path from a handle: where the
// private fast paths are compiled (private.h) it moves as libuv's own copy;
// elsewhere the path is linked to a temporary name before the old handle
// closes and renamed back at once, and the new handle's close unlinks it.

// listenMove is what a listener keeps for a move: the backlog to re-issue,
// and the connections a move carried in, which Accept returns first.
type listenMove struct {
	backlog     int
	carried     []int // accepted on a loop the listener left, not yet taken
	unannounced int   // of those, how many no handler of this loop heard of
}

// movedListener is a listener in a Detached.
type movedListener struct {
	backlog int
	conns   []int   // accepted connections, oldest first
	fname   *C.char // a bound pipe's path, taken from libuv's handle, or nil
	path    string  // a bound pipe's path kept by the public path, or ""
}

// Errors of Detach for handles that cannot move now.
var (
	errConnecting = errors.New("uv: a connecting handle cannot be detached: wait for the connect to finish")
	errReading    = errors.New("uv: a handle cannot be detached while a Read waits on it: the Read owns its buffers")
	errInLibuv    = errors.New("uv: an IPC pipe whose received handles are still pending in libuv (OnHandle left them, or OnRead without OnHandle) cannot be detached: accept them first")
)

// restoreListener makes a fresh stream, which has opened the listener's fd,
// listen again with what the move carried. Called with the lock held.
func (s *Stream) restoreListener(ml *movedListener) error {
	if ml.fname != nil {
		C.uvp_pipe_set_path(s.ch, ml.fname) // unlinked when this handle closes
		ml.fname = nil
	}
	if path := ml.path; path != "" {
		ml.path = ""
		closed := s.onClosed
		s.onClosed = func() {
			closed()
			removePath(path) // as libuv's close does for a path it bound
		}
	}
	s.moved.carried, ml.conns = ml.conns, nil
	s.moved.unannounced = len(s.moved.carried)
	if len(s.moved.carried) > 0 {
		closed := s.onClosed
		s.onClosed = func() {
			closed()
			closeFDs(s.moved.carried) // never taken
			s.moved.carried = nil
		}
	}
	return s.listen(ml.backlog)
}

// closeFDs closes fds, returning the failures.
func closeFDs(fds []int) error {
	var err error
	for _, fd := range fds {
		err = errors.Join(err, closeFD(fd))
	}
	return err
}

// acceptCarried accepts into client the oldest connection a move carried,
// if there is one. Called with the lock held.
func (s *Stream) acceptCarried(client *Handle) (bool, error) {
	if len(s.moved.carried) == 0 {
		return false, nil
	}
	fd := s.moved.carried[0]
	s.moved.carried = s.moved.carried[1:]
	s.moved.unannounced = min(s.moved.unannounced, len(s.moved.carried))
	if err := client.openLocked(fd); err != nil {
		closeFD(fd)
		return true, err
	}
	return true, nil
}

// setOnConn sets the connection handler. The connections a move carried in
// were announced on the loop they came from, not on this one: the first
// handler set hears of each, once, from the loop, soon. Called with the
// lock held.
func (s *Stream) setOnConn(fn func(error)) {
	s.onConn = fn
	if fn == nil || s.moved.unannounced == 0 {
		return
	}
	_ = s.loop.Post(func() { // under the lock: the loop is open
		for s.moved.unannounced > 0 && s.onConn != nil && s.usable() == nil {
			s.moved.unannounced--
			s.onConn(nil)
		}
	})
}

// close releases a listener never attached: its fd is closed by the
// caller; the connections it carried are closed and its socket file
// removed, as closing the listener would have done.
func (ml *movedListener) close() error {
	err := closeFDs(ml.conns)
	ml.conns = nil
	if ml.fname != nil {
		removePath(C.GoString(ml.fname))
		C.free(unsafe.Pointer(ml.fname))
		ml.fname = nil
	}
	if ml.path != "" {
		removePath(ml.path)
		ml.path = ""
	}
	return err
}
