package v8

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

type vector struct {
	expr string // the JavaScript expression node serialized
	data []byte // the payload, 0xFF 0x0F header first
}

// loadVectors reads testdata/node20-vectors.tsv: a JavaScript expression, a
// tab, and the bytes Node 20's child_process serializer wrote for it (without
// the length prefix).
func loadVectors(tb testing.TB) []vector {
	tb.Helper()
	f, err := os.Open("testdata/node20-vectors.tsv")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var vs []vector
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		expr, hx, ok := strings.Cut(line, "\t")
		if !ok {
			tb.Fatalf("bad vector line %q", line)
		}
		data, err := hex.DecodeString(strings.ReplaceAll(hx, " ", ""))
		if err != nil {
			tb.Fatalf("bad hex in %q: %v", line, err)
		}
		vs = append(vs, vector{expr, data})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return vs
}

// decodeOnly lists vectors the model cannot reproduce: a resizable
// ArrayBuffer decodes to a plain ArrayBuffer (its maximum length is lost).
var decodeOnly = map[string]bool{
	"new ArrayBuffer(2,{maxByteLength:8})": true,
}

// Every vector decodes, and the decoded value encodes to the same bytes.
func TestVectorsRoundTrip(t *testing.T) {
	for _, v := range loadVectors(t) {
		got, err := Decode(v.data)
		if err != nil {
			t.Errorf("%s: Decode: %v", v.expr, err)
			continue
		}
		if decodeOnly[v.expr] {
			continue
		}
		out, err := Marshal(got)
		if err != nil {
			t.Errorf("%s: Marshal(%#v): %v", v.expr, got, err)
			continue
		}
		if !bytes.Equal(out, v.data) {
			t.Errorf("%s: decoded %#v\n got % x\nwant % x", v.expr, got, out, v.data)
		}
	}
}
