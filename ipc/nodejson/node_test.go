package nodejson

import (
	"bufio"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/internal/interop"
)

var (
	seedFlag  = flag.Uint64("seed", 0, "seed for the generated interop values (default: env UVPIPE_SEED, else a fixed seed)")
	countFlag = flag.Int("values", 3000, "number of generated values per interop test")
)

const defaultSeed = 20240601

// interopSeed returns the generator seed: -seed, else UVPIPE_SEED, else a
// fixed default, so a failure reproduces.
func interopSeed(t *testing.T) uint64 {
	seed := uint64(defaultSeed)
	if *seedFlag != 0 {
		seed = *seedFlag
	} else if s := os.Getenv("UVPIPE_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		require.NoError(t, err, "UVPIPE_SEED")
		seed = n
	}
	t.Logf("generator seed %d (override with -seed=N or UVPIPE_SEED=N)", seed)
	return seed
}

// nodePeer runs testdata/interop.js: requests go in on stdin, answers come
// back one line each, in order.
func nodePeer(t *testing.T, requests []string) []string {
	t.Helper()
	cmd := exec.Command(nodeBinary(t), "testdata/interop.js")
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	writeErr := make(chan error, 1)
	go func() {
		w := bufio.NewWriter(stdin)
		for _, r := range requests {
			if _, err := w.WriteString(r + "\n"); err != nil {
				writeErr <- err
				return
			}
		}
		err := w.Flush()
		if cerr := stdin.Close(); err == nil {
			err = cerr
		}
		writeErr <- err
	}()
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var answers []string
	for sc.Scan() {
		answers = append(answers, sc.Text())
	}
	require.NoError(t, sc.Err())
	_, _ = io.Copy(io.Discard, stdout)
	require.NoError(t, <-writeErr)
	require.NoError(t, cmd.Wait(), "node: %s", stderr.String())
	require.Len(t, answers, len(requests), "node answered %d of %d requests; stderr: %s", len(answers), len(requests), stderr.String())
	return answers
}

// TestStringifyMatchesNode checks Marshal byte for byte against
// JSON.stringify for generated values, and that Decode then Marshal of
// node's output gives node's bytes back.
func TestStringifyMatchesNode(t *testing.T) {
	seed := interopSeed(t)
	g := newGen(seed)
	values := make([]any, *countFlag)
	requests := make([]string, len(values))
	for i := range values {
		values[i] = g.value(4)
		requests[i] = "S " + tagOf(values[i])
	}
	answers := nodePeer(t, requests)
	failures := 0
	for i, ans := range answers {
		got, err := Marshal(values[i])
		msg := fmt.Sprintf("value %d (seed %d): %s", i, seed, requests[i])
		switch {
		case ans == "undef":
			if err != ErrUndefined {
				t.Errorf("%s: node gives undefined, Go gives %q, %v", msg, got, err)
				failures++
			}
			continue
		case strings.HasPrefix(ans, "err "):
			if err == nil {
				t.Errorf("%s: node throws %q, Go gives %q", msg, ans[4:], got)
				failures++
			}
			continue
		}
		want, derr := base64.StdEncoding.DecodeString(strings.TrimPrefix(ans, "ok "))
		require.NoError(t, derr)
		if err != nil || string(got) != string(want) {
			t.Errorf("%s:\n node: %s\n   go: %s (err %v)", msg, want, got, err)
			failures++
		}
		back, err := Decode(want)
		if err != nil {
			t.Errorf("%s: Decode of node's output: %v", msg, err)
			failures++
			continue
		}
		again, err := Marshal(back)
		if err != nil || string(again) != string(want) {
			t.Errorf("%s: re-marshal of node's output:\n node: %s\n   go: %s (err %v)", msg, want, again, err)
			failures++
		}
		if failures > 20 {
			t.Fatal("too many failures")
		}
	}
}

// parseInputs are lines for TestParseMatchesNode beside the generated ones.
var parseInputs = []string{
	`{"b":1,"2":2,"a":3,"b":4,"1":5}`,
	`{"4294967295":1,"4294967294":2,"01":3,"-1":4,"1.5":5,"0":6,"10":7,"9":8}`,
	`{"__proto__":1,"a":{"__proto__":[]}}`,
	`["\ud800","\udc00\ud800","\ud83d\ude00","\uD83D\uDE00x","\u2028","\/"]`,
	`[1e400,-1e400,1e-400,-0,0.1,5e-324,123456789012345680000,1E+2,-0.0e-0]`,
	"\"\xe2\x82A\xed\xa0\x80\xf0\x9f\"", // invalid UTF-8 inside a string
	"\"\xff\xfe\xc0\xaf\xf4\x90\x80\x80\xe0\x80\x80\"",
	"\"a\xf0\x9f\x98\"", "\"\xc2\"", "\"\xe2\x82\"", "\xef\xbb\xbf1", "1\xff",
	" \t\r 1 \r\n", `{"a":1,}`, `[1,]`, `01`, `1.`, `-`, `"\x"`, `"\u12"`, `tru`, `nul`, "\"\t\"", `{"a" 1}`, `[`, `{`,
	`""`, `{}`, `[]`, `[[[[[]]]]]`, `{"":""}`, `"\u0000\u001f\u007f"`,
}

// TestParseMatchesNode checks Decode against JSON.parse after Node's
// StringDecoder: the same value (keys in the same order, numbers to the bit,
// strings to the code unit) or an error on both sides.
func TestParseMatchesNode(t *testing.T) {
	seed := interopSeed(t)
	g := newGen(seed + 1)
	inputs := append([]string(nil), parseInputs...)
	for range *countFlag / 3 {
		b, err := Marshal(g.value(4))
		if err != nil {
			continue
		}
		s := string(b)
		// Shuffle in duplicate keys, spacing and invalid bytes now and then.
		switch g.r.IntN(4) {
		case 0:
			s = strings.Replace(s, "{", `{"1":0,"b":0,`, 1)
			s = strings.Replace(s, ",}", "}", 1)
		case 1:
			s = strings.ReplaceAll(s, ",", " ,\t")
		case 2:
			if i := strings.IndexByte(s, '"'); i >= 0 {
				s = s[:i+1] + string([]byte{byte(0x80 + g.r.IntN(0x80))}) + s[i+1:]
			}
		}
		inputs = append(inputs, s)
	}
	requests := make([]string, len(inputs))
	for i, in := range inputs {
		requests[i] = "P " + base64.StdEncoding.EncodeToString([]byte(in))
	}
	answers := nodePeer(t, requests)
	for i, ans := range answers {
		v, err := Decode([]byte(inputs[i]))
		if strings.HasPrefix(ans, "err ") {
			if err == nil {
				t.Errorf("input %d %q: JSON.parse throws %q, Decode gives %s", i, inputs[i], ans[4:], tagOf(v))
			}
			continue
		}
		if err != nil {
			t.Errorf("input %d %q: JSON.parse accepts it, Decode fails: %v", i, inputs[i], err)
			continue
		}
		if got := tagOf(v); "ok "+got != ans {
			t.Errorf("input %d %q:\n node: %s\n   go: %s", i, inputs[i], ans[3:], got)
		}
	}
}

// nodeBinary is node from the PATH, or fails (skips with
// UVPIPE_SKIP_INTEROP=1); on Windows the pinned node.exe.
func nodeBinary(t *testing.T) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		return interop.Node(t)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("UVPIPE_SKIP_INTEROP") == "1" {
			t.Skip("node not on PATH and UVPIPE_SKIP_INTEROP=1")
		}
		t.Fatalf("node is not on PATH (%v); install Node.js or set UVPIPE_SKIP_INTEROP=1", err)
	}
	return node
}
