package v8

import (
	"bytes"
	"errors"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

func TestMarshalGoValues(t *testing.T) {
	type inner struct {
		X int `js:"x"`
	}
	type msg struct {
		Name  string    `js:"name"`
		N     int64     `js:"n"`
		F     float32   `js:"f"`
		Data  []byte    `js:"data"`
		When  time.Time `js:"when"`
		Big   *big.Int  `js:"big"`
		Inner inner     `js:"inner"`
	}
	v := msg{"a", 1 << 40, 1.5, []byte{1}, time.UnixMilli(0), big.NewInt(10), inner{2}}
	got, err := Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Marshal(jsvalue.NewObject("name", "a", "n", float64(1<<40), "f", 1.5, "data", []byte{1},
		"when", time.UnixMilli(0), "big", big.NewInt(10), "inner", jsvalue.NewObject("x", 2.0)))
	if !bytes.Equal(got, want) {
		t.Fatalf("\n got % x\nwant % x", got, want)
	}
	var back msg
	if err := Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	if back.Name != "a" || back.N != 1<<40 || back.Inner.X != 2 || back.Big.Int64() != 10 || !back.When.Equal(v.When) {
		t.Fatalf("Unmarshal: %+v", back)
	}
}

func TestMarshalNumbers(t *testing.T) {
	for _, c := range []struct {
		v    any
		want []byte
	}{
		{math.MaxInt32, []byte{0xFF, 15, 'I', 0xFE, 0xFF, 0xFF, 0xFF, 0x0F}},
		{uint8(3), []byte{0xFF, 15, 'I', 6}},
		{math.NaN(), []byte{0xFF, 15, 'N', 0, 0, 0, 0, 0, 0, 0xF8, 0x7F}},
		{math.Copysign(0, -1), []byte{0xFF, 15, 'N', 0, 0, 0, 0, 0, 0, 0, 0x80}},
		{[]any{1.0, 1.5}, []byte{0xFF, 15, 'A', 2, 'N', 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 'N', 0, 0, 0, 0, 0, 0, 0xF8, 0x3F, '$', 0, 2}},
	} {
		got, err := Marshal(c.v)
		if err != nil || !bytes.Equal(got, c.want) {
			t.Errorf("Marshal(%v) = % x, %v; want % x", c.v, got, err, c.want)
		}
	}
}

func TestMarshalErrors(t *testing.T) {
	deep := any("x")
	for range DefaultMaxDepth + 1 {
		deep = []any{deep}
	}
	for _, v := range []any{
		jsvalue.Hole{},
		jsvalue.URL{Href: "x"},
		jsvalue.TypedArray{Kind: jsvalue.KindFloat16, Data: []byte{0, 0}},
		jsvalue.TypedArray{Kind: jsvalue.KindInt32, Data: []byte{0}},
		jsvalue.RegExp{Source: "a", Flags: "q"},
		jsvalue.Boxed{Value: []any{}},
		&jsvalue.SparseArray{Length: 1, Elements: []jsvalue.Element{{Index: 3}}},
		make(chan int),
		deep,
	} {
		_, err := Marshal(v)
		var ee *EncodeError
		if err == nil || (!errors.As(err, &ee) && v != nil) {
			if _, isChan := v.(chan int); !(isChan && err != nil) {
				t.Errorf("Marshal(%T): %v", v, err)
			}
		}
	}
}

// A value shared or cyclic is written once and referred back to.
func TestMarshalReferences(t *testing.T) {
	o := jsvalue.NewObject()
	o.Set("self", o)
	got, _ := Marshal(o)
	if want := []byte{0xFF, 15, 'o', '"', 4, 's', 'e', 'l', 'f', '^', 0, '{', 1}; !bytes.Equal(got, want) {
		t.Errorf("cycle: % x", got)
	}
	a := []any{"x"}
	a[0] = a
	got, _ = Marshal(a)
	if want := []byte{0xFF, 15, 'A', 1, '^', 0, '$', 0, 1}; !bytes.Equal(got, want) {
		t.Errorf("array cycle: % x", got)
	}
	back, err := Decode(got)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := Marshal(back); !bytes.Equal(again, got) {
		t.Errorf("array cycle re-encoded: % x", again)
	}
}
