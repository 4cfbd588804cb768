package nodeipc

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// Runtime is the peer's runtime, which decides what Advanced means on the
// wire: Node's is V8's value serializer behind a big-endian length, Bun's is
// JavaScriptCore's serialized values in Bun's own packets. In json mode
// both speak the same lines and Runtime does not matter.
type Runtime string

// The runtimes. The zero Runtime detects the peer (see "Bun" in the package
// doc).
const (
	// Node is a Node peer (or a Go peer speaking V8's format).
	Node Runtime = "node"
	// Bun is a Bun peer: advanced mode is Bun's framing and JavaScriptCore's
	// format (package jsc).
	Bun Runtime = "bun"
)

func (o Options) runtime() (Runtime, error) {
	switch o.Runtime {
	case "", Node, Bun:
		return o.Runtime, nil
	}
	return "", fmt.Errorf("nodeipc: unknown runtime %q (want %q, %q or empty to detect)", string(o.Runtime), Node, Bun)
}

// wire is what a channel writes and reads.
type wire uint8

const (
	wireJSON wire = iota // lines of JSON
	wireV8               // Node's advanced: 4-byte big-endian length, V8 payload
	wireBun              // Bun's advanced: type byte, little-endian length, JSC payload
)

// wireFor is the wire of a channel of serialization mode with a peer that
// runs rt.
func wireFor(mode Serialization, rt Runtime) wire {
	switch {
	case mode != Advanced:
		return wireJSON
	case rt == Bun:
		return wireBun
	}
	return wireV8
}

// isBunProgram reports whether path names Bun's executable: its base name,
// symbolic links followed, is bun or bunx (with or without .exe).
func isBunProgram(path string) bool {
	if path == "" {
		return false
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	base := strings.TrimSuffix(filepath.Base(path), ".exe")
	return base == "bun" || base == "bunx"
}

// commandRuntime is the runtime Start assumes for cmd when Options.Runtime
// is empty: Bun when the program is Bun's executable, else Node.
func commandRuntime(cmd *exec.Cmd) Runtime {
	if isBunProgram(cmd.Path) {
		return Bun
	}
	return Node
}
