package v8

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
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
// Go's, and decoding Node's bytes in Go and encoding again must give them back.
func TestNodeRoundTrip(t *testing.T) {
	node := nodePath(t)
	seed := testSeed(t)
	n := 3000
	if testing.Short() {
		n = 300
	}
	t.Logf("seed %d (set UVPIPE_V8_SEED=%d to repeat), %d values", seed, seed, n)
	values := generate(seed, n)

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
		want, err := Marshal(v)
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
		again, err := Marshal(back)
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
// child_process writer; encoding the decoded value must give Node's bytes.
func TestNodeGenerated(t *testing.T) {
	node := nodePath(t)
	seed := testSeed(t) & 0xFFFFFFFF
	n := 3000
	if testing.Short() {
		n = 300
	}
	t.Logf("seed %d (set UVPIPE_V8_SEED=%d to repeat), %d values", seed, seed, n)
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
		again, err := Marshal(v)
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
