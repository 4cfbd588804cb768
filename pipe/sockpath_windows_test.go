package pipe_test

import (
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/uvpipe/uvpipe/pipe"
)

// sockPath is a fresh path for one test, written as a unix path so that
// Listen and Dial map it to a named pipe (PipeName). Not under t.TempDir:
// Wine cannot remove a test's temporary directory ("Invalid function"), and
// a named pipe needs no directory.
func sockPath(t *testing.T) string {
	var rnd [6]byte
	rand.Read(rnd[:])
	return "/uvpipe-test/" + t.Name() + "-" + hex.EncodeToString(rnd[:]) + ".sock"
}

// boundName is the name a server listening on path has: its named pipe's.
func boundName(path string) string { return pipe.PipeName(path) }
