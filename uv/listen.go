package uv

/*
#include "shim.h"
*/
import "C"

import "net"

// listen makes the stream a server. Called with the lock held.
func (s *Stream) listen(backlog int) error {
	if backlog <= 0 {
		backlog = 511
	}
	if r := C.uvp_listen(s.ch, C.int(backlog)); r < 0 {
		return check("listen", r)
	}
	s.listening, s.moved.backlog = true, backlog
	s.loop.wake(&s.Handle)
	return nil
}

func (s *Stream) connectionCB(status C.int) {
	var err error
	if status < 0 {
		err = check("accept", status)
		s.listenErr = err
	} else {
		s.backlogged++
	}
	if s.onConn != nil {
		s.onConn(err)
	}
}

// acceptInto waits for a connection (unless inside a handler) and accepts it
// into client, a handle initialised on the same loop. Called with the lock
// held.
func (s *Stream) acceptInto(client *Handle, re bool) error {
	if !s.listening {
		return check("accept", C.UV_EINVAL)
	}
	if ok, err := s.acceptCarried(client); ok {
		return err
	}
	for s.backlogged == 0 {
		if err := s.usable(); err != nil {
			return err
		}
		if err := s.listenErr; err != nil {
			s.listenErr = nil
			return err
		}
		if re {
			return ErrWouldBlock
		}
		if err := s.loop.awaitOn(&s.Handle, nil, func() bool {
			return s.backlogged > 0 || s.listenErr != nil || s.closing || s.Handle.closed
		}, &s.rdl); err != nil {
			return err
		}
	}
	s.backlogged--
	if r := C.uv_accept(s.stream(), client.stream()); r < 0 {
		return check("accept", r)
	}
	return nil
}

// connectWait waits for a connect request started under the lock.
func (s *Stream) connectWait(done <-chan struct{}) error {
	s.connecting = true
	s.loop.wake(&s.Handle)
	err := s.loop.awaitOn(&s.Handle, nil, func() bool {
		return !s.connecting || s.Handle.closed || isDone(done)
	}, nil)
	if err != nil {
		return err
	}
	if s.connecting {
		return net.ErrClosed
	}
	return s.connErr
}

func isDone(done <-chan struct{}) bool {
	select {
	case <-done:
		return true
	default:
		return false
	}
}

func (s *Stream) connectCB(status C.int) {
	s.connecting = false
	s.connErr = nil
	if status < 0 {
		s.connErr = check("connect", status)
	}
}
