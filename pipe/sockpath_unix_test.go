//go:build !windows

package pipe_test

import (
	"path/filepath"
	"testing"
)

// sockPath is a fresh socket path for one test, in its temporary directory.
func sockPath(t *testing.T) string { return filepath.Join(t.TempDir(), "s.sock") }

// boundName is the name a server listening on path has: path itself.
func boundName(path string) string { return path }
