package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// interrupter catches SIGINT and SIGTERM for a command that holds something
// to close first (a listening socket whose file must go, a bridged
// connection): the first signal cancels ctx and closes what the command
// handed to closes, and the command then ends with interrupted's status.
// After stop the signals have their default effect again.
type interrupter struct {
	ctx    context.Context // cancelled by the first signal
	cancel context.CancelFunc
	sigs   chan os.Signal
	done   chan struct{}

	mu     sync.Mutex
	sig    os.Signal // the first signal that came, or nil
	closer io.Closer // what a signal closes
}

// catchInterrupts starts catching SIGINT and SIGTERM.
func catchInterrupts() *interrupter {
	ctx, cancel := context.WithCancel(context.Background())
	it := &interrupter{ctx: ctx, cancel: cancel, sigs: make(chan os.Signal, 1), done: make(chan struct{})}
	signal.Notify(it.sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case s := <-it.sigs:
			it.mu.Lock()
			it.sig = s
			c := it.closer
			it.mu.Unlock()
			cancel()
			if c != nil {
				c.Close()
			}
		case <-it.done:
		}
	}()
	return it
}

// closes makes c what a signal closes from now on; when a signal has come
// already, it closes c at once.
func (it *interrupter) closes(c io.Closer) {
	it.mu.Lock()
	it.closer = c
	came := it.sig != nil
	it.mu.Unlock()
	if came {
		c.Close()
	}
}

// interrupted is the command's end when a signal came (its status 128+n,
// and nothing on stderr, as for a program the signal had killed), or nil.
func (it *interrupter) interrupted() error {
	it.mu.Lock()
	defer it.mu.Unlock()
	if it.sig == nil {
		return nil
	}
	return interruptedBy(it.sig)
}

// stop stops catching the signals.
func (it *interrupter) stop() {
	signal.Stop(it.sigs)
	close(it.done)
	it.cancel()
}

// interruptedBy is the end of a command that signal s ended after it closed
// what it held: exit status 128+n, as a shell reports a program that s
// killed.
func interruptedBy(s os.Signal) error {
	n, ok := s.(syscall.Signal)
	if !ok {
		n = syscall.SIGINT
	}
	return &exitStatus{code: exitSignal + int(n)}
}
