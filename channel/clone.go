package channel

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
)

// Config configures a Channel. The zero value passes values by reference.
type Config struct {
	// Clone, when set, makes the channel copy every value it carries: Write
	// sends what Clone returns for the value, so the writer may change or
	// reuse the value at once. structuredclone.Clone (package
	// ipc/structuredclone) copies as bare-channel's structured clone does,
	// through the JavaScript value model, shared references and cycles
	// kept; the reader then gets model values (a struct or map as a
	// *jsvalue.Object, a number as a float64), which Assign stores back into
	// a Go type for ReadValues.
	//
	// Before calling Clone, Write refuses with ErrNotClonable, nothing sent,
	// a value that holds a function, a Go channel, a *Channel or a *Port
	// (found by reflection, through pointers, interfaces, slices, arrays,
	// maps and the exported and embedded fields of structs): no copy of
	// these means what the original does. An error from Clone is returned
	// wrapped in ErrNotClonable, nothing sent. Handles that move between
	// loops (see Transferable), written on their own, are not given to Clone
	// and move as they do without it.
	//
	// Clone runs in the call to Write (or TryWrite), one at a time per
	// port, while that port's writes wait for it: it must not write to the
	// port. The two ports of a channel may call it at the same time.
	Clone func(v any) (any, error)

	// Assign, when set, stores into dst (a non-nil pointer to a T) a value
	// read that is not a T, for ReadValues; jsvalue.Assign (package
	// ipc/jsvalue) stores the model values structuredclone.Clone gives. When
	// nil, ReadValues fails on a value that is not a T.
	Assign func(src, dst any) error
}

// New makes a channel as configured, with neither end connected.
func (c Config) New() *Channel {
	ch := New()
	ch.cfg = c
	return ch
}

// ErrNotClonable is wrapped by the error of a Write on a cloning channel
// (Config.Clone) whose value cannot be copied.
var ErrNotClonable = errors.New("channel: the value cannot be cloned")

// cloneValue copies v with clone, after refusing what no copy can stand
// for. Moved handles pass as they are.
func cloneValue(v any, clone func(any) (any, error)) (any, error) {
	switch v.(type) {
	case Transferable, *pipe.Pipe, *pipe.Server, *uv.TCP, *uv.UDP, *uv.Pipe:
		return v, nil
	case *Channel, *Port:
		return nil, fmt.Errorf("%w: a %T (connect it where it is, or hand the *Channel over by reference)", ErrNotClonable, v)
	}
	if err := refuseOpaque(reflect.ValueOf(v), map[visit]bool{}); err != nil {
		return nil, err
	}
	c, err := clone(v)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotClonable, err)
	}
	return c, nil
}

var (
	channelType      = reflect.TypeFor[*Channel]()
	portType         = reflect.TypeFor[*Port]()
	transferableType = reflect.TypeFor[Transferable]()
	// handleTypes are the handles Write moves between loops (see cloneValue).
	handleTypes = map[reflect.Type]bool{
		reflect.TypeFor[*pipe.Pipe]():   true,
		reflect.TypeFor[*pipe.Server](): true,
		reflect.TypeFor[*uv.TCP]():      true,
		reflect.TypeFor[*uv.UDP]():      true,
		reflect.TypeFor[*uv.Pipe]():     true,
	}
)

// visit names a reference refuseOpaque has walked: its type and address
// (and length, for a slice).
type visit struct {
	t   reflect.Type
	ptr uintptr
	n   int
}

// refuseOpaque finds inside v a function, a Go channel, a *Channel or a
// *Port, which a copy cannot stand for. seen stops at references already
// visited.
func refuseOpaque(v reflect.Value, seen map[visit]bool) error {
	if !v.IsValid() {
		return nil
	}
	if t := v.Type(); t == channelType || t == portType {
		return fmt.Errorf("%w: a %s inside the value", ErrNotClonable, t)
	}
	if t := v.Type(); t.Kind() != reflect.Interface && (t.Implements(transferableType) || handleTypes[t]) {
		return fmt.Errorf("%w: a %s inside the value (a handle moves only when written on its own)", ErrNotClonable, t)
	}
	switch v.Kind() {
	case reflect.Func, reflect.Chan:
		return fmt.Errorf("%w: a %s inside the value", ErrNotClonable, v.Type())
	case reflect.Pointer, reflect.Map, reflect.Slice:
		if v.IsNil() {
			return nil
		}
		k := visit{v.Type(), v.Pointer(), 0}
		if v.Kind() == reflect.Slice {
			k.n = v.Len()
		}
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
			if err := refuseOpaque(it.Key(), seen); err != nil {
				return err
			}
			if err := refuseOpaque(it.Value(), seen); err != nil {
				return err
			}
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Type().Field(i); f.IsExported() || f.Anonymous {
				if err := refuseOpaque(v.Field(i), seen); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
