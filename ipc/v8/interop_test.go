package v8

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/internal/interop"
)

// nodePath returns the node binary, or fails (skips with UVPIPE_SKIP_INTEROP=1);
// on Windows the pinned node.exe.
func nodePath(tb testing.TB) string {
	tb.Helper()
	if runtime.GOOS == "windows" {
		return interop.Node(tb)
	}
	p, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("UVPIPE_SKIP_INTEROP") == "1" {
			tb.Skip("node not found; skipped (UVPIPE_SKIP_INTEROP=1)")
		}
		tb.Fatal("node not found on PATH: the interop tests need it (set UVPIPE_SKIP_INTEROP=1 to skip them)")
	}
	return p
}

// nodeMarshaler returns the Marshal that gives the bytes node writes: the
// package's, or for a node that writes an Error's cause before its stack
// (V8 11, Node 20) marshalCauseFirst. It asks node which order it writes.
// v12 tells whether node's V8 reads Errors as V8 12 does: only stack before
// cause, and a cause may refer back to its Error.
func nodeMarshaler(tb testing.TB, node string) (marshal func(any) ([]byte, error), v12 bool) {
	tb.Helper()
	probe := errorOrderVectors[0]
	out, err := exec.Command(node, "-e",
		"process.stdout.write(require('v8').serialize("+probe.expr+").toString('hex'))").Output()
	if err != nil {
		tb.Fatalf("node: %v", err)
	}
	switch got := string(out); got {
	case strings.ReplaceAll(probe.node22, " ", ""):
		return Marshal, true
	case strings.ReplaceAll(probe.node20, " ", ""):
		tb.Log("this node's V8 writes an Error's cause before its stack and cannot read a cause that refers back to its Error (V8 11): comparing with that order, sending no such causes")
		return marshalCauseFirst, false
	default:
		tb.Fatalf("node wrote %s for %s: neither order known", got, probe.expr)
		return nil, false
	}
}

// testSeed is the generator's seed: UVPIPE_V8_SEED, or the time.
func testSeed(tb testing.TB) int64 {
	if s := os.Getenv("UVPIPE_V8_SEED"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			tb.Fatalf("UVPIPE_V8_SEED=%q: %v", s, err)
		}
		return n
	}
	return time.Now().UnixNano()
}

// TestNodeRoundTrip sends generated values to node, which reads them with
// Node's own child_process parser, rebuilds each as a program would, and
// writes it back with Node's own child_process writer. Node's bytes must equal
// Go's, and decoding Node's bytes in Go and encoding again must give them back
// (Go's bytes written in the order of an Error's stack and cause that this
// node writes: nodeMarshaler).
func TestNodeRoundTrip(t *testing.T) {
	node := nodePath(t)
	seed := testSeed(t)
	n := 3000
	if testing.Short() {
		n = 300
	}
	t.Logf("seed %d (set UVPIPE_V8_SEED=%d to repeat), %d values", seed, seed, n)
	marshal, v12 := nodeMarshaler(t, node)
	values := generate(seed, n, v12)

	cmd := exec.Command(node, "--expose-internals", "testdata/roundtrip.js")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	writeErr := make(chan error, 1)
	go func() {
		enc := NewEncoder(stdin)
		for _, v := range values {
			if err := enc.Encode(v); err != nil {
				writeErr <- err
				stdin.Close()
				return
			}
		}
		writeErr <- stdin.Close()
	}()
	dec := NewDecoder(stdout)
	failures := 0
	for i, v := range values {
		want, err := marshal(v)
		if err != nil {
			t.Fatalf("value %d: Marshal: %v", i, err)
		}
		got, err := dec.ReadMessage()
		if err != nil {
			t.Fatalf("value %d: reading node's reply: %v\nnode stderr:\n%s", i, err, stderr.String())
		}
		if !bytes.Equal(got, want) {
			failures++
			t.Errorf("value %d (seed %d): node wrote other bytes\n  go: % x\nnode: % x", i, seed, want, got)
		}
		back, err := Decode(got)
		if err != nil {
			t.Errorf("value %d: Decode(node's bytes): %v\n% x", i, err, got)
			continue
		}
		again, err := marshal(back)
		if err != nil {
			t.Errorf("value %d: Marshal(decoded): %v", i, err)
			continue
		}
		if !bytes.Equal(again, got) {
			failures++
			t.Errorf("value %d (seed %d): decode and encode changed node's bytes\nnode: % x\n  go: % x", i, seed, got, again)
		}
		if failures > 10 {
			t.Fatal("too many failures")
		}
	}
	if err := <-writeErr; err != nil {
		t.Fatal(err)
	}
	if _, err := dec.ReadMessage(); err != io.EOF {
		t.Errorf("after the last reply: %v, want io.EOF", err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
}

// TestNodeGenerated decodes values that node makes itself (testdata/generate.js,
// a JavaScript generator on the same seed) and written with Node's own
// child_process writer; encoding the decoded value must give Node's bytes (in
// this node's order of an Error's stack and cause: nodeMarshaler).
func TestNodeGenerated(t *testing.T) {
	node := nodePath(t)
	seed := testSeed(t) & 0xFFFFFFFF
	n := 3000
	if testing.Short() {
		n = 300
	}
	t.Logf("seed %d (set UVPIPE_V8_SEED=%d to repeat), %d values", seed, seed, n)
	marshal, _ := nodeMarshaler(t, node)
	out, err := exec.Command(node, "--expose-internals", "testdata/generate.js", strconv.FormatInt(seed, 10), strconv.Itoa(n)).Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	dec := NewDecoder(bytes.NewReader(out))
	failures := 0
	for i := 0; i < n; i++ {
		msg, err := dec.ReadMessage()
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		v, err := Decode(msg)
		if err != nil {
			t.Errorf("message %d: %v\n% x", i, err, msg)
			continue
		}
		again, err := marshal(v)
		if err != nil {
			t.Errorf("message %d: Marshal: %v", i, err)
			continue
		}
		if !bytes.Equal(again, msg) {
			failures++
			t.Errorf("message %d (seed %d): Go wrote other bytes\nnode: % x\n  go: % x", i, seed, msg, again)
			if failures > 10 {
				t.Fatal("too many failures")
			}
		}
	}
	if _, err := dec.ReadMessage(); err != io.EOF {
		t.Errorf("after the last message: %v, want io.EOF", err)
	}
}
