//go:build !cgo

package uv_test

import (
	"errors"
	"testing"

	"github.com/uvpipe/uvpipe/uv"
)

// Built without cgo, package uv compiles and every call that can fail says
// why it cannot work.
func TestWithoutCgoCallsReturnErrNoCgo(t *testing.T) {
	if _, err := uv.NewLoop(); !errors.Is(err, uv.ErrNoCgo) {
		t.Fatalf("NewLoop: %v, want ErrNoCgo", err)
	}
	if _, err := uv.NewPipe(uv.Default(), true, 0); !errors.Is(err, uv.ErrNoCgo) {
		t.Fatalf("NewPipe: %v, want ErrNoCgo", err)
	}
	p := new(uv.Pipe) // as no constructor can make one
	if _, err := p.Write([]byte("x")); !errors.Is(err, uv.ErrNoCgo) {
		t.Fatalf("Write: %v, want ErrNoCgo", err)
	}
}
