package nodeipc

import (
	"github.com/uvpipe/uvpipe/ipc/nodejson"
	v8 "github.com/uvpipe/uvpipe/ipc/v8"
)

// encode appends one framed message holding v to dst: a JSON line, a
// length-prefixed V8 payload or a Bun advanced packet.
func encode(dst []byte, w wire, v any) ([]byte, error) {
	switch w {
	case wireV8:
		return v8.AppendFrame(dst, v)
	case wireBun:
		return appendBunFrame(dst, v)
	}
	out, err := nodejson.AppendMarshal(dst, v)
	if err != nil {
		return dst, err
	}
	return append(out, '\n'), nil
}
