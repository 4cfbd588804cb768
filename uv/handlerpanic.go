//go:build cgo

package uv

import (
	"fmt"
	"runtime/debug"
)

// HandlerPanic is the value of the panic that ends the program when a
// handler panics: a function called by the loop on its own behalf (a read
// handler, a connection handler, a timer or async function, a function given
// to Post, a close hook). Such a function belongs to no goroutine that waits
// for it, so its panic is not raised in whichever goroutine happened to lead
// the loop: as for a panic in a goroutine of its own, the program crashes,
// and the message carries the value and the handler's own stack. (A panic in
// a function given to Loop.Do is not a handler's: it reaches Do's caller.)
type HandlerPanic struct {
	Value any    // what the handler panicked with
	Stack []byte // the handler's goroutine stack at the panic
}

func (p *HandlerPanic) Error() string {
	return fmt.Sprintf("uv: a handler panicked: %v\n\nthe handler's stack:\n%s", p.Value, p.Stack)
}

// Unwrap returns the value the handler panicked with, when it is an error.
func (p *HandlerPanic) Unwrap() error {
	err, _ := p.Value.(error)
	return err
}

// crash ends the program with a HandlerPanic for v. It is called from the
// deferred recover of a callback from C, while the handler's frames are
// still on the stack, so that they can be recorded; the panic is raised
// again in a new goroutine, where nothing can recover it, and the calling
// goroutine waits for the program to end without unwinding through libuv.
func crash(v any) {
	p := &HandlerPanic{Value: v, Stack: debug.Stack()}
	go func() { panic(p) }()
	select {}
}
