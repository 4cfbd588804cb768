package main

import (
	"io"
	"os"
	"os/signal"
	"syscall"
)

// closeOnSignal closes c when the process gets SIGINT or SIGTERM (so a
// listening socket's file is removed), until the returned stop is called;
// after that the signals have their default effect again.
func closeOnSignal(c io.Closer) (stop func()) {
	sig := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case <-sig:
			c.Close()
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sig)
		close(done)
	}
}
