package wire

import (
	"bytes"
	"encoding/json"
)

// parsePacketFast decodes the packets net-ipc and this package write —
// {"t":<digits>[,"d":<value>][,"n":"<letters, digits, _ or ->"]} — without
// reflection: d is what lies between the two fixed ends, and is accepted
// only when it is one valid JSON value (so a duplicate key, which would
// have made it more than one, falls back). ok is false for any other
// shape; parsePacket then decodes it in full.
func parsePacketFast(buf []byte) (p Packet, ok bool) {
	const head = `{"t":`
	if !bytes.HasPrefix(buf, []byte(head)) || len(buf) < len(head)+2 || buf[len(buf)-1] != '}' {
		return p, false
	}
	i := len(head)
	t := 0
	for ; i < len(buf) && buf[i] >= '0' && buf[i] <= '9'; i++ {
		if i-len(head) > 6 {
			return p, false
		}
		t = t*10 + int(buf[i]-'0')
	}
	if i == len(head) || (buf[len(head)] == '0' && i > len(head)+1) {
		return p, false
	}
	p.Type = PacketType(t)
	rest := buf[i : len(buf)-1] // between t's digits and the closing brace
	if n, before, found := nonceSuffix(rest); found {
		p.Nonce, rest = n, before
	}
	if len(rest) == 0 {
		return p, true
	}
	d, found := bytes.CutPrefix(rest, []byte(`,"d":`))
	if !found || !json.Valid(d) {
		return Packet{}, false
	}
	if d = bytes.TrimSpace(d); !bytes.Equal(d, []byte("null")) {
		p.Data = d
	}
	return p, true
}

// nonceSuffix splits `…,"n":"abc"` into the nonce and what precedes it,
// for nonces of letters, digits, '_' and '-' only.
func nonceSuffix(b []byte) (nonce string, before []byte, ok bool) {
	if len(b) < 2 || b[len(b)-1] != '"' {
		return "", b, false
	}
	j := len(b) - 1
	for j > 0 && nonceByte(b[j-1]) {
		j--
	}
	start, ok := bytes.CutSuffix(b[:j], []byte(`,"n":"`))
	if !ok {
		return "", b, false
	}
	return string(b[j : len(b)-1]), start, true
}

func nonceByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-'
}

// RequestNonce reads the nonce of a REQUEST from its payload without
// decoding it, as net-ipc and this package write one ({"t":2,…,"n":"…"},
// the nonce letters, digits, '_' or '-'): a server can so answer a request
// whose data it refuses (too deeply nested, not JSON) with an error
// instead of leaving the client to time out.
func RequestNonce(payload []byte) (string, bool) {
	rest, ok := bytes.CutPrefix(payload, []byte(`{"t":2,`))
	if !ok || len(rest) < 2 || rest[len(rest)-1] != '}' {
		return "", false
	}
	n, _, ok := nonceSuffix(append([]byte{','}, rest[:len(rest)-1]...))
	return n, ok && n != ""
}
