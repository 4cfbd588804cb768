package jsc

import (
	"unsafe"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// arrayBuffer writes an ArrayBuffer (its 64-bit length and bytes), or a
// reference to it when the same bytes were written as a buffer before.
func (s *encState) arrayBuffer(ab jsvalue.ArrayBuffer) {
	k, ok := sliceKey([]byte(ab), identBuffer)
	if s.seen(k, ok) {
		return
	}
	s.record(k, ok)
	s.b = append(s.b, tagArrayBuffer)
	s.u64(uint64(len(ab)))
	s.b = append(s.b, ab...)
}

// view writes a typed array or DataView: its subtag, byte offset and byte
// length, then its buffer. The buffer is the largest ArrayBuffer of the
// value being written whose memory holds the view's bytes at an offset
// aligned to the element size, else the largest such view's bytes, else the
// view's own bytes; so views decoded over one ArrayBuffer that the value
// also holds, or views of views, share one buffer again on the other side.
// A []byte (a Node Buffer) is written as a Uint8Array, as Bun writes a
// Buffer.
func (s *encState) view(v any, kind jsvalue.TypedArrayKind, data []byte) error {
	sub, ok := subtagOf(kind)
	if !ok {
		return encodeErr(v, "unknown typed array kind "+kind.String())
	}
	size := kind.ElementSize()
	if len(data)%size != 0 {
		return encodeErr(v, kind.String()+" of "+utoa(uint64(len(data)))+" bytes, not a multiple of "+utoa(uint64(size)))
	}
	k, kok := sliceKey(data, identView+identKind(kind))
	if s.seen(k, kok) {
		return nil
	}
	backing := s.backingFor(data, size)
	var off uintptr
	if cap(data) > 0 {
		off = uintptr(unsafe.Pointer(unsafe.SliceData(data))) - uintptr(unsafe.Pointer(unsafe.SliceData(backing)))
	}
	s.b = append(s.b, tagArrayBufferView, sub)
	s.u64(uint64(off))
	s.u64(uint64(len(data)))
	s.arrayBuffer(jsvalue.ArrayBuffer(backing))
	s.record(k, kok)
	return nil
}

// maxRegions bounds the buffers and views the search for shared backing
// looks through; beyond it each view is written over its own bytes (views
// over the very same bytes still share one buffer).
const maxRegions = 4096

// regions are the ArrayBuffers and views of the value being written, found
// when the first view is written.
type regions struct {
	abs   [][]byte
	views [][]byte
}

// backingFor returns the memory to write as the buffer of a view over data.
func (s *encState) backingFor(data []byte, size int) []byte {
	if cap(data) == 0 || len(data) == 0 {
		return data
	}
	if s.regions == nil {
		s.regions = &regions{}
		c := collector{r: s.regions, seen: map[identKey]bool{}}
		c.walk(s.root)
	}
	if len(s.regions.abs)+len(s.regions.views) > maxRegions {
		return data
	}
	if b := containing(s.regions.abs, data, size); b != nil {
		return b
	}
	if b := containing(s.regions.views, data, size); b != nil {
		return b
	}
	return data
}

// containing returns the largest of rs whose memory holds data at an offset
// that is a multiple of size.
func containing(rs [][]byte, data []byte, size int) []byte {
	start := uintptr(unsafe.Pointer(unsafe.SliceData(data)))
	end := start + uintptr(len(data))
	var best []byte
	for _, r := range rs {
		rs := uintptr(unsafe.Pointer(unsafe.SliceData(r)))
		if rs <= start && end <= rs+uintptr(len(r)) && (start-rs)%uintptr(size) == 0 && len(r) > len(best) {
			best = r
		}
	}
	return best
}

// collector walks a model value for its ArrayBuffers and views.
type collector struct {
	r    *regions
	seen map[identKey]bool
	n    int
}

func (c *collector) once(k identKey, ok bool) bool {
	if !ok || c.seen[k] {
		return false
	}
	c.seen[k] = true
	return true
}

func (c *collector) walk(v any) {
	if c.n > maxRegions {
		return
	}
	switch x := v.(type) {
	case jsvalue.ArrayBuffer:
		if cap(x) > 0 && len(x) > 0 {
			c.r.abs = append(c.r.abs, x)
			c.n++
		}
	case jsvalue.TypedArray:
		if cap(x.Data) > 0 && len(x.Data) > 0 {
			c.r.views = append(c.r.views, x.Data)
			c.n++
		}
	case []byte:
		if cap(x) > 0 && len(x) > 0 {
			c.r.views = append(c.r.views, x)
			c.n++
		}
	case []any:
		if c.once(sliceKey(x, identList)) {
			for _, e := range x {
				c.walk(e)
			}
		}
	case *jsvalue.Array:
		if x != nil && c.once(pointerKey(x)) {
			for _, e := range x.Elements {
				c.walk(e)
			}
			c.props(x.Props)
		}
	case *jsvalue.SparseArray:
		if x != nil && c.once(pointerKey(x)) {
			for _, e := range x.Elements {
				c.walk(e.Value)
			}
			c.props(x.Props)
		}
	case *jsvalue.Object:
		if x != nil && c.once(pointerKey(x)) {
			c.props(x.Props)
		}
	case *jsvalue.Map:
		if x != nil && c.once(pointerKey(x)) {
			for _, e := range x.Entries {
				c.walk(e.Key)
				c.walk(e.Value)
			}
		}
	case *jsvalue.Set:
		if x != nil && c.once(pointerKey(x)) {
			for _, e := range x.Values {
				c.walk(e)
			}
		}
	}
}

func (c *collector) props(ps []jsvalue.Property) {
	for _, p := range ps {
		c.walk(p.Value)
	}
}
