package jsvalue

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
)

// MaxSparseLength is the largest SparseArray length Stringify writes out; a
// longer one would make a string beyond what V8 can hold.
const MaxSparseLength = 1 << 27

// byteDigits holds "0".."255" for writing Buffer contents.
var byteDigits = func() (t [256]string) {
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return t
}()

// buffer writes a Node Buffer as Buffer.prototype.toJSON gives it.
func (e *stringifier) buffer(b []byte) {
	e.buf = append(e.buf, `{"type":"Buffer","data":[`...)
	for i, c := range b {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = append(e.buf, byteDigits[c]...)
	}
	e.buf = append(e.buf, "]}"...)
}

// typedArray writes a typed array as JSON.stringify does: an object whose
// keys are the element indices. A DataView has no such keys; BigInt elements
// make JSON.stringify throw.
func (e *stringifier) typedArray(t TypedArray) error {
	switch t.Kind {
	case KindDataView:
		e.buf = append(e.buf, "{}"...)
		return nil
	case KindBigInt64, KindBigUint64:
		if len(t.Data) >= 8 {
			return &UnsupportedValueError{Msg: "Do not know how to serialize a BigInt"}
		}
		e.buf = append(e.buf, "{}"...)
		return nil
	}
	size := t.Kind.ElementSize()
	if len(t.Data)%size != 0 {
		return fmt.Errorf("jsvalue: %s data of %d bytes is not a whole number of elements", t.Kind, len(t.Data))
	}
	e.buf = append(e.buf, '{')
	for i := 0; i < len(t.Data)/size; i++ {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = append(e.buf, '"')
		e.buf = strconv.AppendInt(e.buf, int64(i), 10)
		e.buf = append(e.buf, '"', ':')
		e.buf = appendNumber(e.buf, element(t, i*size))
	}
	e.buf = append(e.buf, '}')
	return nil
}

func element(t TypedArray, off int) float64 {
	d := t.Data[off:]
	switch t.Kind {
	case KindInt8:
		return float64(int8(d[0]))
	case KindInt16:
		return float64(int16(binary.LittleEndian.Uint16(d)))
	case KindUint16:
		return float64(binary.LittleEndian.Uint16(d))
	case KindInt32:
		return float64(int32(binary.LittleEndian.Uint32(d)))
	case KindUint32:
		return float64(binary.LittleEndian.Uint32(d))
	case KindFloat16:
		return float16(binary.LittleEndian.Uint16(d))
	case KindFloat32:
		return float64(math.Float32frombits(binary.LittleEndian.Uint32(d)))
	case KindFloat64:
		return math.Float64frombits(binary.LittleEndian.Uint64(d))
	default: // Uint8, Uint8Clamped
		return float64(d[0])
	}
}

// float16 widens an IEEE 754 half-precision value.
func float16(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp := int(h>>10) & 0x1F
	frac := float64(h & 0x3FF)
	switch exp {
	case 0:
		return sign * frac * math.Ldexp(1, -24)
	case 0x1F:
		if frac != 0 {
			return math.NaN()
		}
		return sign * math.Inf(1)
	}
	return sign * (1 + frac/1024) * math.Ldexp(1, exp-15)
}

// sparse writes a sparse array as the dense array JSON.stringify makes of
// it, null in the gaps.
func (e *stringifier) sparse(s *SparseArray) error {
	if s.Length > MaxSparseLength {
		return &UnsupportedValueError{Msg: "Invalid string length (sparse array of length " + strconv.FormatUint(uint64(s.Length), 10) + ")"}
	}
	e.buf = append(e.buf, '[')
	next := 0
	for i := uint32(0); i < s.Length; i++ {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		for next < len(s.Elements) && s.Elements[next].Index < i {
			next++
		}
		if next < len(s.Elements) && s.Elements[next].Index == i && !omitted(s.Elements[next].Value) {
			if err := e.value(s.Elements[next].Value); err != nil {
				return err
			}
			continue
		}
		e.buf = append(e.buf, "null"...)
	}
	e.buf = append(e.buf, ']')
	return nil
}
