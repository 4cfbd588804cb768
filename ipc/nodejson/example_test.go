package nodejson_test

import (
	"fmt"
	"math"
	"os"
	"strings"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	"github.com/uvpipe/uvpipe/ipc/nodejson"
)

func ExampleMarshal() {
	msg := jsvalue.NewObject(
		"cmd", "move",
		"10", "index keys come first",
		"2", math.Copysign(0, -1),
		"big", 1e21,
		"small", 1.5e-7,
		"nan", math.NaN(),
		"buf", []byte{1, 2},
		"skip", jsvalue.Undefined{},
	)
	b, err := nodejson.Marshal(msg)
	fmt.Println(string(b), err)
	// Output:
	// {"2":0,"10":"index keys come first","cmd":"move","big":1e+21,"small":1.5e-7,"nan":null,"buf":{"type":"Buffer","data":[1,2]}} <nil>
}

func ExampleDecode() {
	v, err := nodejson.Decode([]byte(`{"b":1,"1":2,"b":3,"s":"\ud800"}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(v.(*jsvalue.Object).Keys())
	b, _ := nodejson.Marshal(v)
	fmt.Println(string(b))
	// Output:
	// [1 b s]
	// {"1":2,"b":3,"s":"\ud800"}
}

func ExampleDecoder() {
	dec := nodejson.NewDecoder(strings.NewReader("{\"n\":1}\nnot json\n{\"n\":2}\n"))
	for {
		var msg struct{ N int }
		err := dec.Decode(&msg)
		if err != nil {
			if se, ok := err.(*nodejson.SyntaxError); ok {
				fmt.Println("skipping line", se.Line)
				continue
			}
			break // io.EOF
		}
		fmt.Println("n =", msg.N)
	}
	// Output:
	// n = 1
	// skipping line 2
	// n = 2
}

func ExampleEncoder() {
	enc := nodejson.NewEncoder(os.Stdout)
	_ = enc.Encode(map[string]any{"cmd": "hello", "id": 1})
	_ = enc.Encode([]any{"a", jsvalue.Undefined{}})
	// Output:
	// {"cmd":"hello","id":1}
	// ["a",null]
}
