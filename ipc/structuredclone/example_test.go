package structuredclone_test

import (
	"errors"
	"fmt"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	"github.com/uvpipe/uvpipe/ipc/structuredclone"
)

// Marshal writes what bare-channel sends: version 0 in a TRANSFER node.
func ExampleMarshal() {
	b, err := structuredclone.Marshal(jsvalue.NewObject("a", 1))
	if err != nil {
		panic(err)
	}
	fmt.Printf("% x\n", b)
	// Output: 00 00 15 00 13 01 01 01 61 04 00 00 00 00 00 00 f0 3f
}

// Version 1 (bare-structured-clone 2.x) writes small integers as INTEGER and
// keys through a table of names.
func ExampleMarshal_version1() {
	b, err := structuredclone.Marshal(jsvalue.NewObject("a", 1, "b", jsvalue.NewObject("a", 2)),
		structuredclone.WithVersion(structuredclone.Version1))
	if err != nil {
		panic(err)
	}
	fmt.Printf("% x\n", b)
	// Output: 01 00 16 00 14 01 02 02 01 61 05 02 02 01 62 14 02 01 03 00 05 04
}

// Decode gives the jsvalue model; shared objects and cycles survive.
func ExampleDecode() {
	// o = {}; o.self = o
	v, err := structuredclone.Decode([]byte{0x00, 0x00, 0x15, 0x00, 0x13, 0x01, 0x01, 0x04, 's', 'e', 'l', 'f', 0x14, 0x01})
	if err != nil {
		panic(err)
	}
	o := v.(*jsvalue.Object)
	self, _ := o.Get("self")
	fmt.Println(self == o)
	// Output: true
}

// Unmarshal stores into Go values as encoding/json does.
func ExampleUnmarshal() {
	type point struct {
		X, Y float64
	}
	b, _ := structuredclone.Marshal(point{X: 1, Y: 2})
	var p point
	if err := structuredclone.Unmarshal(b, &p); err != nil {
		panic(err)
	}
	fmt.Println(p.X, p.Y)
	// Output: 1 2
}

// A SharedArrayBuffer travels as a pointer into the sending process: it
// cannot be decoded anywhere else.
func ExampleNotPortableError() {
	sab := []byte{0x00, 0x00, 0x0c, 0x01, 0x08, 0, 0, 0, 0, 0, 0, 0, 0}
	_, err := structuredclone.Decode(sab)
	fmt.Println(errors.Is(err, structuredclone.ErrNotPortable))
	fmt.Println(err)
	// Output:
	// true
	// structuredclone: SharedArrayBuffer at offset 2 is process-local and cannot be decoded in another process
}

// Malformed input is a *SyntaxError wrapping a sentinel error.
func ExampleSyntaxError() {
	_, err := structuredclone.Decode([]byte{0x00, 0x00, 0x06, 0x05, 'a'})
	fmt.Println(errors.Is(err, structuredclone.ErrTruncated))
	fmt.Println(err)
	// Output:
	// true
	// structuredclone: unexpected end of input at offset 3: length 5 beyond the end of the input
}

// Clone is the hook of a channel that copies as bare-channel does.
func ExampleClone() {
	type job struct {
		ID   int
		Tags []string
	}
	j := job{ID: 1, Tags: []string{"first"}}
	c, _ := structuredclone.Clone(j)
	j.Tags[0] = "changed"
	var back job
	jsvalue.Assign(c, &back)
	fmt.Println(back)
	// Output: {1 [first]}
}
