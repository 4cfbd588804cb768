package v8

import (
	"encoding/binary"
	"math"
	"math/big"
	"math/bits"
	"reflect"
	"slices"
	"strconv"
	"time"
	"unsafe"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// DefaultMaxDepth is how deeply values may nest, when writing and reading,
// unless an Encoder or Decoder says otherwise.
const DefaultMaxDepth = 1000

// encoder writes one V8 value into buf.
type encoder struct {
	buf      []byte
	base     int // offset of the 0xFF header in buf
	ids      idTable
	depth    int
	maxDepth int
	// causeFirst writes an Error's cause before its stack, as V8 11.3
	// (Node 20) does; only the tests that compare bytes with such a Node set
	// it.
	causeFirst bool
}

func (e *encoder) reset(buf []byte, maxDepth int) {
	e.buf = buf
	e.base = len(buf)
	e.ids.reset()
	e.depth = 0
	e.causeFirst = false
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	e.maxDepth = maxDepth
}

// marshal appends the header and v.
func (e *encoder) marshal(v any) error {
	e.buf = appendHeader(e.buf)
	return e.value(v, true)
}

func (e *encoder) enter() error {
	e.depth++
	if e.depth > e.maxDepth {
		return &EncodeError{Reason: "values nest deeper than the depth limit"}
	}
	return nil
}

// value writes v. convert says whether a non-model Go value may be handed to
// jsvalue.FromGo.
func (e *encoder) value(v any, convert bool) error {
	switch x := v.(type) {
	case nil:
		e.buf = append(e.buf, tagNull)
	case jsvalue.Undefined:
		e.buf = append(e.buf, tagUndefined)
	case bool:
		if x {
			e.buf = append(e.buf, tagTrue)
		} else {
			e.buf = append(e.buf, tagFalse)
		}
	case float64:
		e.number(x)
	case string:
		e.buf = appendString(e.buf, x, e.base)
	case int:
		e.number(float64(x))
	case int32:
		e.number(float64(x))
	case int64:
		e.number(float64(x))
	case *jsvalue.Object:
		if x == nil {
			e.buf = append(e.buf, tagNull)
			return nil
		}
		return e.object(x)
	case []any:
		if x == nil {
			e.buf = append(e.buf, tagNull)
			return nil
		}
		if e.ref(sliceKey(x, idSlice)) {
			return nil
		}
		return e.array(x, nil)
	case []byte:
		if e.ref(sliceKey(x, idBuffer)) {
			return nil
		}
		e.hostView(10, x)
	case *jsvalue.Array:
		if x == nil {
			e.buf = append(e.buf, tagNull)
			return nil
		}
		if e.ref(ptrKey(unsafe.Pointer(x))) {
			return nil
		}
		return e.array(x.Elements, x.Props)
	case *jsvalue.SparseArray:
		if x == nil {
			e.buf = append(e.buf, tagNull)
			return nil
		}
		if e.ref(ptrKey(unsafe.Pointer(x))) {
			return nil
		}
		return e.sparse(x)
	case *jsvalue.Map:
		if x == nil {
			e.buf = append(e.buf, tagNull)
			return nil
		}
		if e.ref(ptrKey(unsafe.Pointer(x))) {
			return nil
		}
		return e.mapValue(x)
	case *jsvalue.Set:
		if x == nil {
			e.buf = append(e.buf, tagNull)
			return nil
		}
		if e.ref(ptrKey(unsafe.Pointer(x))) {
			return nil
		}
		return e.setValue(x)
	case *jsvalue.Error:
		if x == nil {
			e.buf = append(e.buf, tagNull)
			return nil
		}
		if e.ref(ptrKey(unsafe.Pointer(x))) {
			return nil
		}
		return e.errorValue(x)
	case *big.Int:
		if x == nil {
			e.buf = append(e.buf, tagNull)
			return nil
		}
		e.buf = append(e.buf, tagBigInt)
		e.bigint(x)
	case time.Time:
		e.ids.anon()
		e.buf = append(e.buf, tagDate)
		e.buf = appendDouble(e.buf, timeValue(x))
	case jsvalue.InvalidDate:
		e.ids.anon()
		e.buf = append(e.buf, tagDate)
		e.buf = appendDouble(e.buf, math.NaN())
	case jsvalue.RegExp:
		return e.regexp(x)
	case jsvalue.Boxed:
		return e.boxed(x)
	case jsvalue.ArrayBuffer:
		if e.ref(sliceKey(x, idArrayBuffer)) {
			return nil
		}
		e.buf = append(e.buf, tagArrayBuffer)
		e.buf = appendVarint(e.buf, uint64(len(x)))
		e.buf = append(e.buf, x...)
	case jsvalue.TypedArray:
		return e.typedArray(x)
	case jsvalue.Hole:
		return &EncodeError{Type: reflect.TypeOf(v), Reason: "a hole can only be an array element"}
	case jsvalue.URL:
		return &EncodeError{Type: reflect.TypeOf(v), Reason: "URL has no V8 serialized form"}
	default:
		return e.goValue(v, convert)
	}
	return nil
}

// goValue writes a Go value outside the model: the numeric kinds directly,
// everything else through jsvalue.FromGo.
func (e *encoder) goValue(v any, convert bool) error {
	switch x := v.(type) {
	case int8:
		e.number(float64(x))
	case int16:
		e.number(float64(x))
	case uint:
		e.number(float64(x))
	case uint8:
		e.number(float64(x))
	case uint16:
		e.number(float64(x))
	case uint32:
		e.number(float64(x))
	case uint64:
		e.number(float64(x))
	case uintptr:
		e.number(float64(x))
	case float32:
		e.number(float64(x))
	default:
		if !convert {
			return &EncodeError{Type: reflect.TypeOf(v), Reason: "not a JavaScript value"}
		}
		m, err := fromGo(v)
		if err != nil {
			return err
		}
		return e.value(m, false)
	}
	return nil
}

func ptrKey(p unsafe.Pointer) idKey { return idKey{p: uintptr(p), kind: idPointer} }

// sliceKey identifies a slice by its first element's address and length. A
// slice of zero capacity has no identity: every zero-size allocation shares
// one address. (Decoded empty arrays and buffers get a capacity of one, so
// that sharing them survives a round trip.)
func sliceKey[T any](s []T, kind uint8) idKey {
	if cap(s) == 0 {
		return idKey{kind: kind}
	}
	return idKey{p: uintptr(unsafe.Pointer(unsafe.SliceData(s))), n: len(s), kind: kind}
}

// ref writes a back-reference and returns true when k was written before;
// otherwise it assigns k the next object id.
func (e *encoder) ref(k idKey) bool {
	if k.p == 0 {
		e.ids.anon()
		return false
	}
	id, ok := e.ids.lookup(k)
	if !ok {
		return false
	}
	e.buf = append(e.buf, tagObjectReference)
	e.buf = appendVarint(e.buf, uint64(id))
	return true
}

// isSmi reports whether V8 holds f as a small integer (31/32-bit Smi on
// 64-bit Node: the int32 range), which it writes as 'I'.
func isSmi(f float64) bool {
	return f >= math.MinInt32 && f <= math.MaxInt32 && f == math.Trunc(f) && (f != 0 || !math.Signbit(f))
}

func (e *encoder) number(f float64) {
	if isSmi(f) {
		e.buf = append(e.buf, tagInt32)
		e.buf = appendZigZag(e.buf, int32(f))
		return
	}
	e.buf = append(e.buf, tagDouble)
	e.buf = appendDouble(e.buf, f)
}

// timeValue is the time value of a Date: milliseconds since the epoch,
// truncated toward zero as TimeClip does, NaN beyond ±8.64e15.
func timeValue(t time.Time) float64 {
	ms := t.Unix()*1000 + int64(t.Nanosecond())/1e6
	if t.Unix() < 0 && t.Nanosecond()%1e6 != 0 {
		ms++
	}
	if ms > 8.64e15 || ms < -8.64e15 {
		return math.NaN()
	}
	return float64(ms)
}

// bigint writes a BigInt's bitfield and digits (little-endian 64-bit words).
func (e *encoder) bigint(x *big.Int) {
	words := x.Bits()
	n := len(words)
	sign := uint64(0)
	if x.Sign() < 0 {
		sign = 1
	}
	e.buf = appendVarint(e.buf, uint64(n*8)<<1|sign)
	for _, w := range words {
		if bits.UintSize == 32 {
			e.buf = binary.LittleEndian.AppendUint32(e.buf, uint32(w))
		} else {
			e.buf = binary.LittleEndian.AppendUint64(e.buf, uint64(w))
		}
	}
}

// props writes properties in JavaScript's order: index keys ascending first,
// then the others in the order held.
func (e *encoder) props(ps []jsvalue.Property) error {
	firstIndex := -1
	for i := range ps {
		if k := ps[i].Key; k != "" && k[0] >= '0' && k[0] <= '9' {
			if _, ok := jsvalue.IsIndexKey(k); ok {
				firstIndex = i
				break
			}
		}
	}
	if firstIndex < 0 {
		for i := range ps {
			e.buf = appendString(e.buf, ps[i].Key, e.base)
			if err := e.value(ps[i].Value, true); err != nil {
				return err
			}
		}
		return nil
	}
	type indexed struct {
		idx uint32
		pos int
	}
	var idx []indexed
	for i := firstIndex; i < len(ps); i++ {
		if n, ok := jsvalue.IsIndexKey(ps[i].Key); ok {
			idx = append(idx, indexed{n, i})
		}
	}
	slices.SortStableFunc(idx, func(a, b indexed) int {
		switch {
		case a.idx < b.idx:
			return -1
		case a.idx > b.idx:
			return 1
		}
		return 0
	})
	for _, x := range idx {
		e.number(float64(x.idx))
		if err := e.value(ps[x.pos].Value, true); err != nil {
			return err
		}
	}
	for i := range ps {
		if i >= firstIndex {
			if _, ok := jsvalue.IsIndexKey(ps[i].Key); ok {
				continue
			}
		}
		e.buf = appendString(e.buf, ps[i].Key, e.base)
		if err := e.value(ps[i].Value, true); err != nil {
			return err
		}
	}
	return nil
}

func (e *encoder) object(o *jsvalue.Object) error {
	if e.ref(ptrKey(unsafe.Pointer(o))) {
		return nil
	}
	if err := e.enter(); err != nil {
		return err
	}
	e.buf = append(e.buf, tagBeginJSObject)
	if err := e.props(o.Props); err != nil {
		return err
	}
	e.buf = append(e.buf, tagEndJSObject)
	e.buf = appendVarint(e.buf, uint64(len(o.Props)))
	e.depth--
	return nil
}

// numberKind reports whether v is a JavaScript number, and whether V8 would
// hold it as a Smi.
func numberKind(v any) (isNumber, smi bool) {
	switch x := v.(type) {
	case float64:
		return true, isSmi(x)
	case int:
		return true, isSmi(float64(x))
	case int32:
		return true, true
	case int64:
		return true, isSmi(float64(x))
	case float32:
		return true, isSmi(float64(x))
	case int8, int16, uint8, uint16:
		return true, true
	case uint, uint32, uint64, uintptr:
		return true, isSmi(toFloat(x))
	}
	return false, false
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case uint:
		return float64(x)
	case uint32:
		return float64(x)
	case uint64:
		return float64(x)
	case uintptr:
		return float64(x)
	}
	return 0
}

// doubleElements reports whether V8 would hold elems as PACKED_DOUBLE
// elements (every element a number, one of them not a Smi); V8 then writes
// every element as a double, integral ones too.
func doubleElements(elems []any) bool {
	double := false
	for _, v := range elems {
		num, smi := numberKind(v)
		if !num {
			return false
		}
		if !smi {
			double = true
		}
	}
	return double
}

// array writes a dense array with optional named properties. An array with
// holes is written sparse, as V8 writes holey arrays.
func (e *encoder) array(elems []any, props []jsvalue.Property) error {
	for _, v := range elems {
		if _, ok := v.(jsvalue.Hole); ok {
			return e.holey(elems, props)
		}
	}
	if err := e.enter(); err != nil {
		return err
	}
	e.buf = append(e.buf, tagBeginDenseArray)
	e.buf = appendVarint(e.buf, uint64(len(elems)))
	if doubleElements(elems) {
		for _, v := range elems {
			f, _ := v.(float64)
			if _, ok := v.(float64); !ok {
				f = anyToFloat(v)
			}
			e.buf = append(e.buf, tagDouble)
			e.buf = appendDouble(e.buf, f)
		}
	} else {
		for _, v := range elems {
			if err := e.value(v, true); err != nil {
				return err
			}
		}
	}
	if err := e.props(props); err != nil {
		return err
	}
	e.buf = append(e.buf, tagEndDenseArray)
	e.buf = appendVarint(e.buf, uint64(len(props)))
	e.buf = appendVarint(e.buf, uint64(len(elems)))
	e.depth--
	return nil
}

func anyToFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case float32:
		return float64(x)
	case int:
		return float64(x)
	case int8:
		return float64(x)
	case int16:
		return float64(x)
	case int32:
		return float64(x)
	case int64:
		return float64(x)
	case uint8:
		return float64(x)
	case uint16:
		return float64(x)
	}
	return toFloat(v)
}

// holey writes an array with holes in V8's sparse form.
func (e *encoder) holey(elems []any, props []jsvalue.Property) error {
	if err := e.enter(); err != nil {
		return err
	}
	e.buf = append(e.buf, tagBeginSparseArray)
	e.buf = appendVarint(e.buf, uint64(len(elems)))
	n := 0
	for i, v := range elems {
		if _, ok := v.(jsvalue.Hole); ok {
			continue
		}
		e.number(float64(i))
		if err := e.value(v, true); err != nil {
			return err
		}
		n++
	}
	if err := e.props(props); err != nil {
		return err
	}
	e.buf = append(e.buf, tagEndSparseArray)
	e.buf = appendVarint(e.buf, uint64(n+len(props)))
	e.buf = appendVarint(e.buf, uint64(len(elems)))
	e.depth--
	return nil
}

func (e *encoder) sparse(a *jsvalue.SparseArray) error {
	if err := e.enter(); err != nil {
		return err
	}
	e.buf = append(e.buf, tagBeginSparseArray)
	e.buf = appendVarint(e.buf, uint64(a.Length))
	for _, el := range a.Elements {
		if el.Index >= a.Length {
			return &EncodeError{Type: reflect.TypeOf(a), Reason: "element index beyond Length"}
		}
		e.number(float64(el.Index))
		if err := e.value(el.Value, true); err != nil {
			return err
		}
	}
	if err := e.props(a.Props); err != nil {
		return err
	}
	e.buf = append(e.buf, tagEndSparseArray)
	e.buf = appendVarint(e.buf, uint64(len(a.Elements)+len(a.Props)))
	e.buf = appendVarint(e.buf, uint64(a.Length))
	e.depth--
	return nil
}

func (e *encoder) mapValue(m *jsvalue.Map) error {
	if err := e.enter(); err != nil {
		return err
	}
	e.buf = append(e.buf, tagBeginMap)
	for _, en := range m.Entries {
		if err := e.value(en.Key, true); err != nil {
			return err
		}
		if err := e.value(en.Value, true); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, tagEndMap)
	e.buf = appendVarint(e.buf, uint64(2*len(m.Entries)))
	e.depth--
	return nil
}

func (e *encoder) setValue(s *jsvalue.Set) error {
	if err := e.enter(); err != nil {
		return err
	}
	e.buf = append(e.buf, tagBeginSet)
	for _, v := range s.Values {
		if err := e.value(v, true); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, tagEndSet)
	e.buf = appendVarint(e.buf, uint64(len(s.Values)))
	e.depth--
	return nil
}

var errorPrototypes = map[string]byte{
	jsvalue.ErrorNameEvalError:      errTagEvalPrototype,
	jsvalue.ErrorNameRangeError:     errTagRangePrototype,
	jsvalue.ErrorNameReferenceError: errTagReferencePrototype,
	jsvalue.ErrorNameSyntaxError:    errTagSyntaxPrototype,
	jsvalue.ErrorNameTypeError:      errTagTypePrototype,
	jsvalue.ErrorNameURIError:       errTagURIPrototype,
}

// errorValue writes an Error as V8 12.4 (Node 22) does: prototype, message,
// stack, cause. V8 12.4 reads the tags only in that order (it makes the error
// after the stack and before the cause, so that a cause may refer back to
// it); V8 11.3 (Node 20) reads them in any order but writes the cause before
// the stack, which V8 12.4 refuses. Other names (AggregateError, custom ones)
// travel as Error, and AggregateError's errors do not travel, as in V8.
func (e *encoder) errorValue(x *jsvalue.Error) error {
	if err := e.enter(); err != nil {
		return err
	}
	e.buf = append(e.buf, tagError)
	if t, ok := errorPrototypes[x.Name]; ok {
		e.buf = append(e.buf, t)
	}
	if x.Message != "" {
		e.buf = append(e.buf, errTagMessage)
		e.buf = appendString(e.buf, x.Message, e.base)
	}
	if e.causeFirst {
		if err := e.errorCause(x); err != nil {
			return err
		}
	}
	if x.HasStack {
		e.buf = append(e.buf, errTagStack)
		e.buf = appendString(e.buf, x.Stack, e.base)
	}
	if !e.causeFirst {
		if err := e.errorCause(x); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, errTagEnd)
	e.depth--
	return nil
}

// errorCause writes an Error's cause, if it has one.
func (e *encoder) errorCause(x *jsvalue.Error) error {
	if !x.HasCause {
		return nil
	}
	e.buf = append(e.buf, errTagCause)
	return e.value(x.Cause, true)
}

func (e *encoder) regexp(r jsvalue.RegExp) error {
	var flags uint32
	for i := 0; i < len(r.Flags); i++ {
		found := false
		for _, f := range regExpFlags {
			if f.c == r.Flags[i] {
				flags |= f.bit
				found = true
			}
		}
		if !found {
			return &EncodeError{Type: reflect.TypeOf(r), Reason: "unknown flag " + strconv.Quote(r.Flags[i:i+1])}
		}
	}
	e.ids.anon()
	e.buf = append(e.buf, tagRegExp)
	e.buf = appendString(e.buf, r.Source, e.base)
	e.buf = appendVarint(e.buf, uint64(flags))
	return nil
}

func (e *encoder) boxed(b jsvalue.Boxed) error {
	switch x := b.Value.(type) {
	case bool:
		if x {
			e.buf = append(e.buf, tagTrueObject)
		} else {
			e.buf = append(e.buf, tagFalseObject)
		}
	case string:
		e.buf = append(e.buf, tagStringObject)
		e.buf = appendString(e.buf, x, e.base)
	case *big.Int:
		if x == nil {
			return &EncodeError{Type: reflect.TypeOf(b), Reason: "nil *big.Int"}
		}
		e.buf = append(e.buf, tagBigIntObject)
		e.bigint(x)
	default:
		if num, _ := numberKind(x); !num {
			return &EncodeError{Type: reflect.TypeOf(b), Reason: "boxes neither a number, string, boolean nor bigint"}
		}
		e.buf = append(e.buf, tagNumberObject)
		e.buf = appendDouble(e.buf, anyToFloat(x))
	}
	e.ids.anon()
	return nil
}
