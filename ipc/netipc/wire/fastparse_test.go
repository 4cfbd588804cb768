package wire

import (
	"bytes"
	"testing"
)

// The fast decoder agrees with the full one on every payload it takes,
// and takes the shapes the peers write.
func FuzzParsePacketFast(f *testing.F) {
	for _, s := range []string{
		`{"t":0,"d":{"id":"mwqzhkq11ql33gpu4gj"}}`, `{"t":3,"d":{"result":true},"n":"abc"}`,
		`{"t":3,"n":"x"}`, `{"t":6,"d":{"m":"bye","a":false}}`, `{"t":1,"d":null}`, `{"t":1,"d": 5 }`,
		`{"t":1,"d":"q,\"n\":\"b"}`, `{"t":1,"d":1,"n":"a","n":"b"}`, `{"t":01}`, `{"t":1,"n":"x","d":2}`,
		`{"t":2,"d":[1,"n",{"n":"y"}],"n":"z"}`, `{"t":1,"d":1,"d":2}`, `{"t":4}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fast, ok := parsePacketFast(b)
		if !ok {
			return
		}
		full, err := parsePacketFull(b)
		if err != nil {
			t.Fatalf("fast took %q, full says %v", b, err)
		}
		if fast.Type != full.Type || fast.Nonce != full.Nonce || !bytes.Equal(fast.Data, full.Data) {
			t.Fatalf("%q: fast %+v, full %+v", b, fast, full)
		}
	})
}

func TestParsePacketFastTakesPeerShapes(t *testing.T) {
	for _, s := range []string{`{"t":0,"d":{"id":"x"}}`, `{"t":3,"d":{"result":true},"n":"lz3k9a_-Q"}`, `{"t":5,"n":"x"}`, `{"t":12}`} {
		if _, ok := parsePacketFast([]byte(s)); !ok {
			t.Errorf("fast path refused %s", s)
		}
	}
}
