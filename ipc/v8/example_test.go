package v8_test

import (
	"bytes"
	"fmt"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	v8 "github.com/uvpipe/uvpipe/ipc/v8"
)

func ExampleMarshal() {
	b, err := v8.Marshal(jsvalue.NewObject("ab", "€", "1", true))
	if err != nil {
		panic(err)
	}
	fmt.Printf("% x\n", b)
	// Output: ff 0f 6f 49 02 54 22 02 61 62 63 02 ac 20 7b 02
}

func ExampleDecode() {
	// {p: o, q: o} with o = {x: 1}, as Node writes it.
	v, err := v8.Decode([]byte{0xff, 0x0f, 0x6f, 0x22, 0x01, 0x70, 0x6f, 0x22, 0x01, 0x78, 0x49, 0x02, 0x7b, 0x01,
		0x22, 0x01, 0x71, 0x5e, 0x01, 0x7b, 0x02})
	if err != nil {
		panic(err)
	}
	o := v.(*jsvalue.Object)
	p, _ := o.Get("p")
	q, _ := o.Get("q")
	x, _ := p.(*jsvalue.Object).Get("x")
	fmt.Println(o.Keys(), x, p == q)
	// Output: [p q] 1 true
}

func ExampleUnmarshal() {
	b, _ := v8.Marshal(map[string]any{"name": "Zoë", "port": 8080})
	var cfg struct {
		Name string `js:"name"`
		Port int    `js:"port"`
	}
	if err := v8.Unmarshal(b, &cfg); err != nil {
		panic(err)
	}
	fmt.Println(cfg.Name, cfg.Port)
	// Output: Zoë 8080
}

func ExampleEncoder() {
	var stream bytes.Buffer
	enc := v8.NewEncoder(&stream)
	_ = enc.Encode("hi")
	_ = enc.Encode([]byte{1, 2, 3})
	fmt.Printf("% x\n", stream.Bytes())

	dec := v8.NewDecoder(&stream)
	for {
		var v any
		if err := dec.Decode(&v); err != nil {
			break
		}
		fmt.Printf("%T %v\n", v, v)
	}
	// Output:
	// 00 00 00 06 ff 0f 22 02 68 69 00 00 00 09 ff 0f 5c 00 0a 03 01 02 03
	// string hi
	// []uint8 [1 2 3]
}
