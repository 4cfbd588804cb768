package jsc_test

import (
	"errors"
	"fmt"

	"github.com/uvpipe/uvpipe/ipc/jsc"
	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// A Go value encoded as Bun's serialize would encode the same object, and
// decoded back, into the model and into a struct.
func Example() {
	b, err := jsc.Marshal(map[string]any{"hello": "bun", "n": 2})
	if err != nil {
		panic(err)
	}
	fmt.Printf("% x\n", b)

	v, err := jsc.Decode(b)
	if err != nil {
		panic(err)
	}
	o := v.(*jsvalue.Object)
	fmt.Println(o.Keys())

	var m struct {
		Hello string
		N     int
	}
	if err := jsc.Unmarshal(b, &m); err != nil {
		panic(err)
	}
	fmt.Println(m.Hello, m.N)
	// Output:
	// 0e 00 00 00 02 05 00 00 80 68 65 6c 6c 6f 10 03 00 00 80 62 75 6e 01 00 00 80 6e 05 02 00 00 00 ff ff ff ff
	// [hello n]
	// bun 2
}

// What the format cannot carry is refused, not sent changed.
func ExampleMarshal_refused() {
	_, err := jsc.Marshal(&jsvalue.Error{Message: "failed", Cause: "disk full", HasCause: true})
	var ee *jsc.EncodeError
	fmt.Println(errors.As(err, &ee))
	fmt.Println(err)
	// Output:
	// true
	// jsc: cannot encode *jsvalue.Error: JavaScriptCore's format has no place for an Error's cause
}

// A Decoder bounds what it reads.
func ExampleDecoder() {
	d := jsc.Decoder{MaxSize: 1 << 20, MaxDepth: 64}
	_, err := d.Decode([]byte{14, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 1})
	fmt.Println(errors.Is(err, jsc.ErrLength))
	fmt.Println(err)
	// Output:
	// true
	// jsc: offset 13: bad length: length 72057594037927936 beyond the remaining 0 bytes
}
