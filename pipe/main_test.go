package pipe_test

import (
	"os"
	"testing"

	"github.com/uvpipe/uvpipe/uv/uvtest"
)

func TestMain(m *testing.M) {
	if name := os.Getenv("UVPIPE_PIPE_CHILD"); name != "" {
		os.Exit(children[name]())
	}
	uvtest.Main(m)
}
