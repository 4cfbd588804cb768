package v8

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// errorOrderVectors are Errors with both a stack and a cause, as
// v8.serialize wrote them in Node 20.20.2 (V8 11.3, the cause first) and in
// Node 22.22.3 (V8 12.4, the stack first). Node 22 refuses Node 20's bytes
// ("Unable to deserialize cloned data"); Node 20 reads Node 22's, except that
// it cannot read a cause that refers back to its error (the last two).
var errorOrderVectors = []struct {
	expr           string
	node20, node22 string
}{
	{
		`(()=>{const e=new Error("m",{cause:"c"});e.stack="s";return e})()`,
		"ff 0f 72 6d 22 01 6d 63 22 01 63 73 22 01 73 2e",
		"ff 0f 72 6d 22 01 6d 73 22 01 73 63 22 01 63 2e",
	},
	{
		`(()=>{const e=new RangeError("m");e.stack="s";e.cause=e;return e})()`,
		"ff 0f 72 52 6d 22 01 6d 63 5e 00 73 22 01 73 2e",
		"ff 0f 72 52 6d 22 01 6d 73 22 01 73 63 5e 00 2e",
	},
	{
		`(()=>{const e=new TypeError("m",{cause:{x:null}});e.stack="s";e.cause.x=e;return [e,e.cause]})()`,
		"ff 0f 41 02 72 54 6d 22 01 6d 63 6f 22 01 78 5e 01 7b 01 73 22 01 73 2e 5e 02 24 00 02",
		"ff 0f 41 02 72 54 6d 22 01 6d 73 22 01 73 63 6f 22 01 78 5e 01 7b 01 2e 5e 02 24 00 02",
	},
}

func unhex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// marshalCauseFirst writes v as Marshal does, but an Error's cause before its
// stack, as Node 20 does.
func marshalCauseFirst(v any) ([]byte, error) {
	var e encoder
	e.reset(nil, DefaultMaxDepth)
	e.causeFirst = true
	err := e.marshal(v)
	return e.buf, err
}

// Marshal writes an Error's stack before its cause, as Node 22 does (the
// order both Node 20 and Node 22 read), whichever order the decoded bytes
// had; the tests' Node 20 order gives Node 20's bytes back.
func TestErrorStackBeforeCause(t *testing.T) {
	for _, v := range errorOrderVectors {
		for _, in := range []string{v.node20, v.node22} {
			got, err := Decode(unhex(t, in))
			if err != nil {
				t.Errorf("%s: Decode(% x): %v", v.expr, in, err)
				continue
			}
			out, err := Marshal(got)
			if err != nil {
				t.Errorf("%s: Marshal: %v", v.expr, err)
				continue
			}
			if want := unhex(t, v.node22); !bytes.Equal(out, want) {
				t.Errorf("%s: decoded from % s\n got % x\nwant % x (Node 22)", v.expr, in, out, want)
			}
			old, err := marshalCauseFirst(got)
			if err != nil {
				t.Errorf("%s: marshalCauseFirst: %v", v.expr, err)
				continue
			}
			if want := unhex(t, v.node20); !bytes.Equal(old, want) {
				t.Errorf("%s: cause first\n got % x\nwant % x (Node 20)", v.expr, old, want)
			}
		}
	}
}

// A cause that refers back to its Error decodes to the same *jsvalue.Error
// in either order.
func TestErrorCauseRefersBack(t *testing.T) {
	v := errorOrderVectors[1]
	for _, in := range []string{v.node20, v.node22} {
		got, err := Decode(unhex(t, in))
		if err != nil {
			t.Fatalf("Decode(%s): %v", in, err)
		}
		e, ok := got.(*jsvalue.Error)
		if !ok || !e.HasCause || !e.HasStack || e.Stack != "s" || e.Name != jsvalue.ErrorNameRangeError {
			t.Fatalf("Decode(%s) = %#v", in, got)
		}
		if c, ok := e.Cause.(*jsvalue.Error); !ok || c != e {
			t.Errorf("Decode(%s): cause %p, want the error itself %p", in, e.Cause, e)
		}
	}
}
