package channel

import (
	"errors"
	"fmt"
	"math"
	"reflect"

	"github.com/uvpipe/uvpipe/ipc/structuredclone"
	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
)

// Config configures a Channel. The zero value passes values by reference.
type Config struct {
	// Clone makes the channel copy every value it carries, as
	// bare-channel's structured clone does: Write turns the value into the
	// JavaScript value model (package ipc/jsvalue) and copies it deeply,
	// keeping shared references and cycles, so the writer may change or
	// reuse it at once, and the reader gets model values (a struct or map
	// becomes a *jsvalue.Object, a number a float64; ReadValues assigns
	// them back into a Go type). A value the model cannot hold is refused
	// by Write with an error, nothing sent: functions, Go channels, a
	// *Channel or *Port, complex numbers, unsafe pointers. Handles that move
	// between loops (see Transferable) move as they do without Clone, when
	// written on their own.
	Clone bool
}

// New makes a channel as configured, with neither end connected.
func (c Config) New() *Channel {
	ch := New()
	ch.clone = c.Clone
	return ch
}

// ErrNotClonable is wrapped by the error of a Write in cloning mode whose
// value cannot be copied through the JavaScript value model.
var ErrNotClonable = errors.New("channel: the value cannot be cloned")

// cloneValue copies v through the JavaScript value model: encoded with
// bare-structured-clone and decoded again, which is bare-channel's own
// round trip. Moved handles pass as they are.
func cloneValue(v any) (any, error) {
	switch v.(type) {
	case Transferable, *pipe.Pipe, *pipe.Server, *uv.TCP, *uv.UDP, *uv.Pipe:
		return v, nil
	case *Channel, *Port:
		return nil, fmt.Errorf("%w: a %T (connect it where it is, or hand the *Channel over by reference)", ErrNotClonable, v)
	}
	if err := refuseOpaque(reflect.ValueOf(v), map[[3]uintptr]bool{}); err != nil {
		return nil, err
	}
	b, err := structuredclone.Marshal(v, structuredclone.WithoutTransfer())
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotClonable, err)
	}
	d := structuredclone.Decoder{MaxSize: math.MaxInt}
	return d.Decode(b)
}

var (
	channelType = reflect.TypeFor[*Channel]()
	portType    = reflect.TypeFor[*Port]()
)

// refuseOpaque finds a *Channel or *Port inside v, which the value model
// would turn into an empty object (they have no exported fields). seen
// stops at pointers already visited.
func refuseOpaque(v reflect.Value, seen map[[3]uintptr]bool) error {
	if !v.IsValid() {
		return nil
	}
	if t := v.Type(); t == channelType || t == portType {
		return fmt.Errorf("%w: a %s inside the value", ErrNotClonable, t)
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice:
		if v.IsNil() {
			return nil
		}
		n := 0
		if v.Kind() == reflect.Slice {
			n = v.Len()
		}
		k := [3]uintptr{v.Pointer(), uintptr(v.Kind()), uintptr(n)}
		if seen[k] {
			return nil
		}
		seen[k] = true
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return refuseOpaque(v.Elem(), seen)
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil
		}
		for i := 0; i < v.Len(); i++ {
			if err := refuseOpaque(v.Index(i), seen); err != nil {
				return err
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if err := refuseOpaque(it.Value(), seen); err != nil {
				return err
			}
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				if err := refuseOpaque(v.Field(i), seen); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
