package jsvalue

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// MarshalJSON writes the object as JSON text with its keys in order, as
// JSON.stringify would show it to the peer: properties whose value is
// Undefined are left out. Nested values are written by encoding/json (an
// *Object again by this method).
func (o *Object) MarshalJSON() ([]byte, error) {
	if o == nil {
		return []byte("null"), nil
	}
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	for _, p := range o.Props {
		if _, undef := p.Value.(Undefined); undef {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		k, err := json.Marshal(p.Key)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(p.Value)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// String is the object's JSON text (MarshalJSON), so that fmt prints what
// the peer sent; a value JSON cannot show makes it fall back to fmt's form of
// its properties.
func (o *Object) String() string {
	b, err := o.MarshalJSON()
	if err != nil {
		return fmt.Sprint(o.Props)
	}
	return string(b)
}
