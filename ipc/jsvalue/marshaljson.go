package jsvalue

// The model's types marshal as the JSON text the peer would see:
// JSON.stringify of the JavaScript value, as Stringify writes it. A value
// JSON.stringify turns into undefined (Undefined itself) is null here, as
// encoding/json needs a value and JSON.stringify writes null for undefined in
// an array. A value JSON.stringify throws on (a BigInt, a cycle) is an error.

// marshalJSON is Stringify with undefined written as null.
func marshalJSON(v any) ([]byte, error) {
	b, err := Stringify(v)
	if err == ErrUndefined {
		return []byte("null"), nil
	}
	return b, err
}

// MarshalJSON writes the object as JSON.stringify would: its keys in
// JavaScript's order, properties whose value is Undefined left out.
func (o *Object) MarshalJSON() ([]byte, error) { return marshalJSON(o) }

// MarshalJSON writes the array's elements as JSON.stringify would: holes as
// null, the named properties dropped.
func (a *Array) MarshalJSON() ([]byte, error) { return marshalJSON(a) }

// MarshalJSON writes the array in its dense form, null in the gaps.
func (s *SparseArray) MarshalJSON() ([]byte, error) { return marshalJSON(s) }

// MarshalJSON writes {}, as JSON.stringify writes a Map.
func (m *Map) MarshalJSON() ([]byte, error) { return marshalJSON(m) }

// MarshalJSON writes {}, as JSON.stringify writes a Set.
func (s *Set) MarshalJSON() ([]byte, error) { return marshalJSON(s) }

// MarshalJSON writes {}, as JSON.stringify writes a RegExp.
func (r RegExp) MarshalJSON() ([]byte, error) { return marshalJSON(r) }

// MarshalJSON writes the primitive inside.
func (x Boxed) MarshalJSON() ([]byte, error) { return marshalJSON(x) }

// MarshalJSON writes {}, as JSON.stringify writes an ArrayBuffer.
func (a ArrayBuffer) MarshalJSON() ([]byte, error) { return marshalJSON(a) }

// MarshalJSON writes the href, as URL.prototype.toJSON gives it.
func (u URL) MarshalJSON() ([]byte, error) { return marshalJSON(u) }

// MarshalJSON writes the elements as an object keyed by index, as
// JSON.stringify writes a typed array ({} for a DataView).
func (t TypedArray) MarshalJSON() ([]byte, error) { return marshalJSON(t) }

// MarshalJSON writes {}, as JSON.stringify writes an Error (its name,
// message and stack are not enumerable).
func (e *Error) MarshalJSON() ([]byte, error) { return marshalJSON(e) }

// MarshalJSON writes null (JSON.stringify leaves undefined out of objects
// and writes null for it in arrays).
func (Undefined) MarshalJSON() ([]byte, error) { return []byte("null"), nil }

// MarshalJSON writes null, as JSON.stringify writes an array's hole.
func (Hole) MarshalJSON() ([]byte, error) { return []byte("null"), nil }

// MarshalJSON writes null, as Date.prototype.toJSON gives for an invalid
// date.
func (InvalidDate) MarshalJSON() ([]byte, error) { return []byte("null"), nil }
