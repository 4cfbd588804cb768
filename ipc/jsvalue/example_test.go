package jsvalue_test

import (
	"encoding/json"
	"fmt"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

func ExampleFromGo() {
	type Point struct {
		X, Y int
		Tag  string `js:"tag,omitempty"`
	}
	v, err := jsvalue.FromGo([]any{Point{X: 1, Y: 2}, map[string]bool{"b": true, "a": false}})
	if err != nil {
		panic(err)
	}
	for _, e := range v.([]any) {
		o := e.(*jsvalue.Object)
		for i, p := range o.Props {
			if i > 0 {
				fmt.Print(" ")
			}
			fmt.Printf("%s=%v", p.Key, p.Value)
		}
		fmt.Println()
	}
	// Output:
	// X=1 Y=2
	// a=false b=true
}

func ExampleAssign() {
	var dst struct {
		Name  string   `json:"name"`
		Sizes []uint16 `json:"sizes"`
	}
	src := jsvalue.NewObject("name", "box", "sizes", []any{1.0, 70000.0})
	err := jsvalue.Assign(src, &dst)
	fmt.Println(dst.Name, dst.Sizes, err)
	// Output:
	// box [1 0] jsvalue: cannot assign number 70000 to Go value of type uint16 at .sizes[1]: out of range
}

// A received value prints readably and marshals as the JSON the peer sees.
func ExampleStringify() {
	v := jsvalue.NewObject("job", 1.0, "seen", &jsvalue.Set{Values: []any{"a", "b"}})
	fmt.Println(v)
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
	b, _ = jsvalue.Stringify([]any{jsvalue.Undefined{}, []byte{1, 2}})
	fmt.Println(string(b))
	// Output:
	// {"job":1,"seen":Set(2) {"a", "b"}}
	// {"job":1,"seen":{}}
	// [null,{"type":"Buffer","data":[1,2]}]
}
