package nodejson

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// decodeGeneral decodes data as Decode does, but parses arrays of numbers
// with the general element loop instead of numberArray.
func decodeGeneral(data []byte) (any, error) {
	p := &parser{s: data, maxDepth: DefaultMaxDepth, noNumberRuns: true}
	return p.parse()
}

// sameDecode checks that Decode and decodeGeneral agree on data: the same
// value to the bit, or the same error.
func sameDecode(t *testing.T, data []byte) {
	t.Helper()
	v, err := Decode(data)
	gv, gerr := decodeGeneral(data)
	if fmt.Sprint(err) != fmt.Sprint(gerr) {
		t.Fatalf("%q: error %v, general loop %v", data, err, gerr)
	}
	if err != nil {
		return
	}
	a, aerr := Marshal(v)
	b, berr := Marshal(gv)
	if aerr != nil || berr != nil || string(a) != string(b) {
		t.Fatalf("%q: %s, general loop %s (%v, %v)", data, a, b, aerr, berr)
	}
	if !sameNegZero(v, gv) {
		t.Fatalf("%q: -0 differs", data)
	}
}

// sameNegZero reports whether the -0s (which Marshal writes as 0) of two
// decoded values are in the same places.
func sameNegZero(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && math.Signbit(x) == math.Signbit(y)
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameNegZero(x[i], y[i]) {
				return false
			}
		}
	}
	return true
}

func TestNumberArrayMatchesGeneralLoop(t *testing.T) {
	inputs := []string{
		`[1]`, `[0,1,255,256,1023,1024,-1,-0,0.5,1e3,-2E-2,12345678901234567890]`, `[ 1 , 2 ]`,
		"[\t1\n,\r2 ]", `[1,]`, `[1,,2]`, `[,1]`, `[1 2]`, `[-]`, `[1.]`, `[1e]`, `[01]`, `[1`, `[1,`,
		`[1,2`, `[1]]`, `[1,[2,3],4]`, `[1,"a"]`, `[1,{"a":[2]}]`, `[1,true]`, `[1,null]`, `[+1]`,
		`[1-2]`, `[1..2]`, `[--1]`, `[1,-]`, `[9007199254740993]`, `[1e400,-1e400]`, `[[1,2],[3]]`,
		`{"type":"Buffer","data":[0,1,2,255]}`, `[1,2,3` + strings.Repeat(",7", 5000) + `]`,
	}
	for _, in := range inputs {
		sameDecode(t, []byte(in))
	}
	// Random arrays of number bytes, commas, spaces and brackets.
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "0123456789-+.eE ,,,]["
	for range 20000 {
		b := []byte{'['}
		for range r.IntN(12) {
			b = append(b, alphabet[r.IntN(len(alphabet))])
		}
		sameDecode(t, b)
	}
}

// An array of numbers of the Buffer benchmark decodes with one allocation
// for the elements (each small integer is pre-boxed).
func TestNumberArrayAllocations(t *testing.T) {
	data := []byte("[" + strings.Repeat("255,", 999) + "0]")
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := Decode(data); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 2 {
		t.Fatalf("%v allocations for an array of 1000 small integers", allocs)
	}
}
