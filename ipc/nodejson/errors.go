package nodejson

import (
	"fmt"
	"strings"
)

// SyntaxError reports input that JSON.parse rejects.
type SyntaxError struct {
	Msg    string // what is wrong
	Offset int64  // byte offset of the problem within the message (the line)
	// Line is the 1-based number of the line in a Decoder's stream and
	// LineOffset the stream offset of that line's first byte; both 0 for
	// Decode and Unmarshal.
	Line       int64
	LineOffset int64
}

func (e *SyntaxError) Error() string {
	var b strings.Builder
	b.WriteString("nodejson: ")
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d (stream offset %d): ", e.Line, e.LineOffset)
	}
	fmt.Fprintf(&b, "%s at position %d", e.Msg, e.Offset)
	return b.String()
}

// LimitError reports a message beyond one of the decoder's limits: a line
// longer than the maximum line length, or nesting deeper than the maximum
// depth. JSON.parse has no such limits; they protect against an untrusted
// peer.
type LimitError struct {
	Limit      string // "line length" or "depth"
	Max        int
	Line       int64 // as in SyntaxError
	LineOffset int64
}

func (e *LimitError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("nodejson: line %d (stream offset %d): %s exceeds the limit of %d", e.Line, e.LineOffset, e.Limit, e.Max)
	}
	return fmt.Sprintf("nodejson: %s exceeds the limit of %d", e.Limit, e.Max)
}
