package nodeipc

import (
	"context"
	"errors"
	"os/exec"
	"reflect"
	"unsafe"
)

// commandContext returns the context cmd was made with by
// exec.CommandContext, or nil for exec.Command. On Windows Start does not
// call cmd.Start, which is where os/exec would start watching that context,
// so it reads the context itself: exec.Cmd keeps it in an unexported field,
// which has no accessor. Should os/exec ever keep it otherwise, a command
// with a Cancel function is refused (errNoCommandContext) rather than
// started with its context silently ignored.
func commandContext(cmd *exec.Cmd) (context.Context, error) {
	f := reflect.ValueOf(cmd).Elem().FieldByName("ctx")
	if !f.IsValid() || f.Type() != reflect.TypeFor[context.Context]() {
		if cmd.Cancel != nil {
			return nil, errNoCommandContext
		}
		return nil, nil
	}
	return *(*context.Context)(unsafe.Pointer(f.UnsafeAddr())), nil
}

var errNoCommandContext = errors.New("nodeipc: Start: cannot read the context of this exec.CommandContext command (os/exec keeps it otherwise than this package knows)")
