package nodeipc

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
)

// prefix starts every error string of this package.
const prefix = "nodeipc: "

// wrapError adds what was being done to an error and keeps it matchable:
// its string is "nodeipc: <what>: <err>", with err's own "nodeipc: " left
// out, so one message never names the package twice.
type wrapError struct {
	what string
	err  error
}

func (e *wrapError) Error() string {
	return prefix + e.what + ": " + strings.TrimPrefix(e.err.Error(), prefix)
}

func (e *wrapError) Unwrap() error { return e.err }

// wrapf is wrapError with the what formatted as fmt.Sprintf does.
func wrapf(err error, format string, args ...any) error {
	return &wrapError{what: fmt.Sprintf(format, args...), err: err}
}

// mapWriteErr turns a write failure on a closed pipe into ErrChannelClosed.
func mapWriteErr(err error) error {
	if errors.Is(err, net.ErrClosed) {
		return ErrChannelClosed
	}
	return err
}

// errEOF is the end of the stream as the reader compares it.
var errEOF = io.EOF

// isEOF reports whether a read error means the peer ended the channel.
func isEOF(err error) bool { return err == io.EOF || errors.Is(err, io.EOF) }
