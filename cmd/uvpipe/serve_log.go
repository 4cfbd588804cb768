package main

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// untrusted makes a client-chosen string (an id, a message, a reason, an
// error quoting a client's bytes) safe for a log line: control characters,
// other characters that do not print (format characters such as bidi
// overrides, line and paragraph separators) and bytes that are not UTF-8
// are escaped (\n, \x1b, \u202e), and so is the backslash, so that no
// client can end a line, forge one or drive the terminal. Printable text
// is left as it is.
func untrusted(s string) string {
	clean := true
	for _, r := range s {
		if r == '\\' || r == utf8.RuneError || !unicode.IsPrint(r) && r != ' ' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && (r < 0x20 || r == 0x7f):
			fmt.Fprintf(&b, `\x%02x`, r)
		case r == ' ' || unicode.IsPrint(r):
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += n
	}
	return b.String()
}
