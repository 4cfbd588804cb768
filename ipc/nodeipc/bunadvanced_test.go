//go:build !windows

package nodeipc_test

import (
	"context"
	"encoding/hex"
	"errors"
	"io"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/internal/interop"
	"github.com/uvpipe/uvpipe/ipc/internal/childtest"
	"github.com/uvpipe/uvpipe/ipc/internal/jsgen"
	"github.com/uvpipe/uvpipe/ipc/jsc"
	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	"github.com/uvpipe/uvpipe/ipc/nodeipc"
)

// TestGoParentBunGuideChild runs the child.ts of Bun's guide unchanged
// under a Go parent in advanced mode (the parent.ts of the guide in Go):
// the child's two messages arrive, and the parent's message reaches the
// child's process.on("message"), which prints it.
func TestGoParentBunGuideChild(t *testing.T) {
	bun := interop.Bun(t)
	ctx, cancel := context.WithTimeout(context.Background(), childtest.Timeout(60*time.Second))
	defer cancel()
	cmd := exec.CommandContext(ctx, bun, "testdata/guide/child.ts")
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	ch, err := nodeipc.Start(cmd, nodeipc.Options{Serialization: nodeipc.Advanced})
	require.NoError(t, err)
	require.Equal(t, nodeipc.Bun, ch.Runtime())
	require.NoError(t, ch.Send("I am your father"))
	require.Equal(t, "Hello from child as string", recv(t, ch).Value)
	sameJSC(t, jsvalue.NewObject("message", "Hello from child as object"), recv(t, ch).Value)
	require.Eventually(t, func() bool { return strings.Contains(stdout.String(), "I am your father") },
		20*time.Second, 10*time.Millisecond, "the child prints the parent's message; stdout %q, stderr %q", stdout.String(), stderr.String())
	require.NoError(t, ch.Disconnect())
	require.NoError(t, ch.Wait(), "%s", stderr.String())
	require.Equal(t, "I am your father\n", stdout.String())
}

// syncBuffer is a strings.Builder safe for a child's output and a test's
// reads at once.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestBunGuideParentGoGrandchild runs the guide's parent.ts with a shell
// script in the child's place that starts the Go child (as go run would, a
// process between them): the Go child finds that the channel is Bun's from
// the process that made its socket pair, and sends first.
func TestBunGuideParentGoGrandchild(t *testing.T) {
	bun := interop.Bun(t)
	bin, err := os.Executable()
	require.NoError(t, err)
	script := filepath.Join(t.TempDir(), "child.sh")
	require.NoError(t, os.WriteFile(script, []byte("#!/bin/sh\n'"+bin+"'\necho \"shell: $?\" >&2\n"), 0o700))
	ctx, cancel := context.WithTimeout(context.Background(), childtest.Timeout(60*time.Second))
	defer cancel()
	cmd := exec.CommandContext(ctx, bun, "testdata/guide/parent.ts", script)
	cmd.Env = append(os.Environ(), childEnv+"=guide", noRaceExitSleep)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	require.ElementsMatch(t, []string{"I am your father", "Respond to child", "Respond to child", "runtime: bun", "shell: 0"}, lines, "%s", out)
}

// TestGoParentBunChildAdvanced starts testdata/child.js under bun with
// Advanced and no Runtime: the channel takes bun's packets, both ways, for
// every type, and passes listeners and connections as in json mode.
func TestGoParentBunChildAdvanced(t *testing.T) {
	bun := interop.Bun(t)
	adv := nodeipc.Options{Serialization: nodeipc.Advanced}
	t.Run("pingpong", func(t *testing.T) {
		ch := startJS(t, bun, adv)
		require.Equal(t, nodeipc.Bun, ch.Runtime())
		for _, v := range bunValues() {
			require.NoError(t, ch.Send(v))
			sameJSC(t, v, recv(t, ch).Value)
		}
	})
	t.Run("many", func(t *testing.T) { checkManyInOrder(t, startJS(t, bun, adv)) })
	t.Run("internal", func(t *testing.T) {
		ch := startJS(t, bun, adv)
		require.NoError(t, ch.Send("internal"))
		require.Equal(t, "after-internal", recv(t, ch).Value)
	})
	t.Run("listener", func(t *testing.T) { checkSendListener(t, startJS(t, bun, adv), nodeipc.Advanced) })
	t.Run("socket", func(t *testing.T) { checkSendConn(t, startJS(t, bun, adv), nodeipc.Advanced) })
}

// TestBunParentGoChildAdvanced runs testdata/parent.js under bun
// (node:child_process as Bun implements it) in advanced mode, which is
// Bun's: every scenario, handles included, with a Go child that finds
// Bun's format from its parent.
func TestBunParentGoChildAdvanced(t *testing.T) {
	bun := interop.Bun(t)
	bin, err := os.Executable()
	require.NoError(t, err)
	for _, scenario := range []string{"pingpong", "many", "internal", "server", "socket"} {
		t.Run(scenario, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), childtest.Timeout(30*time.Second))
			defer cancel()
			cmd := exec.CommandContext(ctx, bun, "testdata/parent.js", bin, scenario, "advanced")
			cmd.Env = append(os.Environ(), noRaceExitSleep)
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "bun parent.js: %s", out)
		})
	}
}

// bunValues are values of every type Bun's advanced mode carries.
func bunValues() []any {
	ab := jsvalue.ArrayBuffer{1, 2, 3, 4, 5, 6, 7, 8}
	errv := &jsvalue.Error{Name: jsvalue.ErrorNameTypeError, Message: "bad", Stack: "TypeError: bad\n    at go", HasStack: true}
	self := jsvalue.NewObject("name", "self")
	self.Set("me", self)
	return []any{
		"hi", 1.0, -1.5, float64(1 << 31), nil, true, false, "", "é€😀\u2028", jsvalue.NewObject("u", jsvalue.Undefined{}),
		jsvalue.NewObject("a", 1, "b", []any{1, 2, jsvalue.NewObject("c", "d")}, "1", "x"),
		[]any{}, []any{nil, "x"}, strings.Repeat("a", 70000),
		[]byte{1, 2, 3}, jsvalue.NewObject("buf", []byte("xy"), "u8", jsvalue.TypedArray{Kind: jsvalue.KindUint8, Data: []byte{1, 2}}),
		time.UnixMilli(1700000000123).UTC(), jsvalue.NewObject("b", big.NewInt(-12345678901234567)),
		&jsvalue.Map{Entries: []jsvalue.Entry{{Key: "k", Value: 1.0}, {Key: 2.0, Value: "two"}}},
		&jsvalue.Set{Values: []any{"a", 1.0}},
		jsvalue.RegExp{Source: "a+b", Flags: "gi"},
		ab, jsvalue.TypedArray{Kind: jsvalue.KindFloat64, Data: ab}, jsvalue.TypedArray{Kind: jsvalue.KindDataView, Data: ab[2:6]},
		jsvalue.Boxed{Value: "boxed"}, errv, self,
		&jsvalue.SparseArray{Length: 100, Elements: []jsvalue.Element{{Index: 50, Value: "mid"}}},
	}
}

// sameJSC checks that two values are the same JavaScript value by their
// JavaScriptCore serializations.
func sameJSC(t *testing.T, want, got any) {
	t.Helper()
	w, err := jsc.Marshal(want)
	require.NoError(t, err)
	g, err := jsc.Marshal(got)
	require.NoError(t, err, "%#v", got)
	require.Equal(t, hex.EncodeToString(w), hex.EncodeToString(g), "%#v", got)
}

// genValues is how many generated values cross each way.
const genValues = 3000

// genSeed returns the generator's seed: UVPIPE_JSC_SEED, or the time.
func genSeed(t *testing.T) int64 {
	s := time.Now().UnixNano()
	if env := os.Getenv("UVPIPE_JSC_SEED"); env != "" {
		var err error
		s, err = strconv.ParseInt(env, 10, 64)
		require.NoError(t, err, "UVPIPE_JSC_SEED")
	}
	t.Logf("generator seed %d (set UVPIPE_JSC_SEED=%d to repeat)", s, s)
	return s
}

// TestGoParentBunChildGenerated sends generated values to a bun child in
// advanced mode, which answers each with what it received and the bytes
// bun:jsc's serialize writes for it: those bytes are Go's own for the
// value, and what came back encodes to them too.
func TestGoParentBunChildGenerated(t *testing.T) {
	bun := interop.Bun(t)
	ctx, cancel := context.WithTimeout(context.Background(), childtest.Timeout(120*time.Second))
	defer cancel()
	cmd := exec.CommandContext(ctx, bun, "testdata/bungen.js")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	ch, err := nodeipc.Start(cmd, nodeipc.Options{Serialization: nodeipc.Advanced})
	require.NoError(t, err)
	defer func() {
		ch.Disconnect()
		require.NoError(t, ch.Wait(), "%s", stderr.String())
	}()
	s := genSeed(t)
	g := jsgen.New(s)
	total := 0
	for i := range genValues {
		v := []any{g.Generate()} // wrapped: a top-level undefined is no message for process.send
		want, err := jsc.Marshal(v)
		require.NoError(t, err, "value %d (seed %d)", i, s)
		require.NoError(t, ch.Send(v), "value %d (seed %d)", i, s)
		m, err := ch.Recv(ctx)
		require.NoError(t, err, "value %d (seed %d): %s", i, s, stderr.String())
		pair, ok := m.Value.([]any)
		require.True(t, ok && len(pair) == 2, "value %d: answer %#v", i, m.Value)
		require.Equal(t, hex.EncodeToString(want), pair[1], "value %d (seed %d): bun's bytes for what it received", i, s)
		back, err := jsc.Marshal(pair[0])
		require.NoError(t, err, "value %d (seed %d)", i, s)
		require.Equal(t, hex.EncodeToString(want), hex.EncodeToString(back), "value %d (seed %d): what came back", i, s)
		require.Equal(t, buffers(v), buffers(pair[0]), "value %d (seed %d): Buffers (not Uint8Arrays) that came back", i, s)
		total += buffers(v)
	}
	require.Positive(t, total, "the generated values held Buffers")
}

// buffers counts the non-empty Buffers ([]byte) of a model value, each
// once, the way JavaScriptCore tells them apart from Uint8Arrays: by the
// envelope of Bun's packet type 4.
func buffers(v any) int {
	seen := map[any]bool{}
	bytes := map[*byte]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case []byte:
			if len(x) > 0 {
				bytes[&x[0]] = true
			}
		case []any:
			if len(x) == 0 || seen[&x[0]] {
				return
			}
			seen[&x[0]] = true
			for _, e := range x {
				walk(e)
			}
		case *jsvalue.Object:
			if seen[x] {
				return
			}
			seen[x] = true
			for _, p := range x.Props {
				walk(p.Value)
			}
		case *jsvalue.Array:
			if seen[x] {
				return
			}
			seen[x] = true
			for _, e := range x.Elements {
				walk(e)
			}
			for _, p := range x.Props {
				walk(p.Value)
			}
		case *jsvalue.SparseArray:
			if seen[x] {
				return
			}
			seen[x] = true
			for _, e := range x.Elements {
				walk(e.Value)
			}
		case *jsvalue.Map:
			if seen[x] {
				return
			}
			seen[x] = true
			for _, e := range x.Entries {
				walk(e.Key)
				walk(e.Value)
			}
		case *jsvalue.Set:
			if seen[x] {
				return
			}
			seen[x] = true
			for _, e := range x.Values {
				walk(e)
			}
		}
	}
	walk(v)
	return len(bytes)
}

// TestBunParentGoChildGenerated has a Bun parent (Bun.spawn, default
// serialization) send generated values to a Go echo child and check that
// bun:jsc writes Go's bytes for each, and that each comes back serializing
// to them, with its Buffers still Buffers.
func TestBunParentGoChildGenerated(t *testing.T) {
	bun := interop.Bun(t)
	bin, err := os.Executable()
	require.NoError(t, err)
	s := genSeed(t)
	g := jsgen.New(s)
	var lines strings.Builder
	for i := range genValues {
		v := []any{g.Generate()}
		bufs := append([]any{}, nodeipc.CollectBuffers(v)...)
		env, err := jsc.Marshal([]any{v, bufs})
		require.NoError(t, err, "value %d (seed %d)", i, s)
		b, err := jsc.Marshal(v)
		require.NoError(t, err, "value %d (seed %d)", i, s)
		lines.WriteString(hex.EncodeToString(env) + "\t" + hex.EncodeToString(b) + "\n")
	}
	file := filepath.Join(t.TempDir(), "values.hex")
	require.NoError(t, os.WriteFile(file, []byte(lines.String()), 0o600))
	ctx, cancel := context.WithTimeout(context.Background(), childtest.Timeout(180*time.Second))
	defer cancel()
	cmd := exec.CommandContext(ctx, bun, "testdata/bungenparent.js", bin, file)
	cmd.Env = append(os.Environ(), noRaceExitSleep)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "seed %d: %s", s, out)
	require.Contains(t, string(out), "ok "+strconv.Itoa(genValues))
}

// TestBunUnknownVersionIsNamed: a peer opening with a Bun version packet of
// a version this package does not know ends the channel with a
// *BunVersionError naming it.
func TestBunUnknownVersionIsNamed(t *testing.T) {
	ch, p := rawPair(t, nodeipc.Advanced)
	p.write("\x01\x03\x00\x00\x00")
	ctx, cancel := context.WithTimeout(context.Background(), childtest.Timeout(20*time.Second))
	defer cancel()
	_, err := ch.Recv(ctx)
	var ve *nodeipc.BunVersionError
	require.ErrorAs(t, err, &ve)
	require.Equal(t, uint32(3), ve.Version)
	require.Contains(t, err.Error(), "version 3")
	_, err = ch.Recv(ctx)
	require.ErrorAs(t, err, &ve, "the channel stays ended")
}

// TestBunDetectedFromFirstBytes: a channel of Advanced with no Runtime whose
// peer opens with Bun's version packet reads Bun's packets and answers in
// them (its version packet first), byte for byte as Bun writes.
func TestBunDetectedFromFirstBytes(t *testing.T) {
	ch, p := rawPair(t, nodeipc.Advanced)
	require.Equal(t, nodeipc.Node, ch.Runtime())
	// Bun's bytes for {a: 1}.
	p.write("\x01\x02\x00\x00\x00\x02\x0f\x00\x00\x00\x0e\x00\x00\x00\x02\x01\x00\x00\x80a\x07\xff\xff\xff\xff")
	m := recv(t, ch)
	sameJSC(t, jsvalue.NewObject("a", 1), m.Value)
	require.Equal(t, nodeipc.Bun, ch.Runtime())
	require.NoError(t, ch.Send(jsvalue.NewObject("a", 1)))
	got := make([]byte, 25)
	_, err := io.ReadFull(p.r, got)
	require.NoError(t, err)
	require.Equal(t, "\x01\x02\x00\x00\x00\x02\x0f\x00\x00\x00\x0e\x00\x00\x00\x02\x01\x00\x00\x80a\x07\xff\xff\xff\xff", string(got))
}

// TestBunFoundTooLateIsNamed: a channel that guessed Node and sent a V8
// frame before the peer's first bytes showed Bun's version packet ends, when
// that peer closes, with a *RuntimeGuessError (wrapping io.EOF) naming the
// option to set, not a bare io.EOF.
func TestBunFoundTooLateIsNamed(t *testing.T) {
	ch, p := rawPair(t, nodeipc.Advanced)
	require.Equal(t, nodeipc.Node, ch.Runtime())
	require.NoError(t, ch.Send("sent as V8"))
	p.write("\x01\x02\x00\x00\x00")
	require.NoError(t, p.close())
	err := recvErr(t, ch)
	var ge *nodeipc.RuntimeGuessError
	require.ErrorAs(t, err, &ge)
	require.Equal(t, nodeipc.Bun, ge.Runtime)
	require.Equal(t, 1, ge.Sent)
	require.ErrorIs(t, err, io.EOF)
	require.Contains(t, err.Error(), "Options.Runtime")
}

// TestBunChannelReadingJSONIsAMismatch: a channel in Bun's advanced mode
// whose peer writes JSON lines ends with a *MismatchError, as a V8 one does.
func TestBunChannelReadingJSONIsAMismatch(t *testing.T) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	defer unix.Close(fds[1])
	ch, err := nodeipc.Open(fds[0], nodeipc.Options{Serialization: nodeipc.Advanced, Runtime: nodeipc.Bun})
	require.NoError(t, err)
	defer ch.Close()
	_, err = unix.Write(fds[1], []byte("{\"a\":1}\n"))
	require.NoError(t, err)
	var me *nodeipc.MismatchError
	require.ErrorAs(t, recvErr(t, ch), &me)
	require.Equal(t, nodeipc.JSON, me.Peer)
}

// TestBunExplicitNodeRefusesBun: with Runtime Node, Bun's version packet is
// refused with the error that names the option.
func TestBunExplicitNodeRefusesBun(t *testing.T) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	defer unix.Close(fds[1])
	ch, err := nodeipc.Open(fds[0], nodeipc.Options{Serialization: nodeipc.Advanced, Runtime: nodeipc.Node})
	require.NoError(t, err)
	defer ch.Close()
	_, err = unix.Write(fds[1], []byte("\x01\x02\x00\x00\x00"))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), childtest.Timeout(20*time.Second))
	defer cancel()
	_, err = ch.Recv(ctx)
	var be *nodeipc.BunAdvancedError
	require.ErrorAs(t, err, &be)
	require.Contains(t, err.Error(), "Runtime")
	require.False(t, errors.Is(err, io.EOF))
}
