//go:build cgo && !windows

package uv_test

import (
	"os"
	"testing"

	"github.com/uvpipe/uvpipe/uv/uvtest"
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(runChild(mode))
	}
	uvtest.Main(m)
}
