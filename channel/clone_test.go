package channel_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/channel"
	"github.com/uvpipe/uvpipe/internal/interop"
	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	"github.com/uvpipe/uvpipe/ipc/structuredclone"
	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// pair connects both ends of ch on one test loop.
func pair(t *testing.T, ch *channel.Channel) (a, b *channel.Port) {
	t.Helper()
	l := uvtest.NewLoop(t)
	a, b = connect(t, ch, l), connect(t, ch, l)
	t.Cleanup(func() { a.Close(); b.Close() })
	return a, b
}

// cloning is the configuration of a channel that copies as bare-channel
// does.
var cloning = channel.Config{Clone: structuredclone.Clone, Assign: jsvalue.Assign}

type item struct {
	N      int               `json:"n"`
	List   []int             `json:"list"`
	Nested map[string]string `json:"nested"`
}

// bareChannelFacts runs interop/channel-clone-peer.js under the pinned bare.
func bareChannelFacts(t *testing.T) (got item, nullWrite bool, funcError string, next string, shared bool) {
	t.Helper()
	bare := interop.Bare(t)
	interop.Module(t, "bare-channel")
	cmd := exec.Command(bare, "channel-clone-peer.js")
	cmd.Dir = interop.Dir(t)
	var errb strings.Builder
	cmd.Stderr = &errb
	out, err := cmd.Output()
	require.NoError(t, err, "bare: %s", errb.String())
	var r struct {
		Got       item
		NullWrite bool
		FuncError string
		Next      string
		Nested    bool
	}
	require.NoError(t, json.Unmarshal(out, &r), "%s", out)
	return r.Got, r.NullWrite, r.FuncError, r.Next, r.Nested
}

// A cloning channel does what bare-channel does, seen by running it: a
// value changed after Write reaches the reader as it was written, shared
// references stay shared, a function is refused with nothing delivered. By
// default (by reference) the reader sees the change, as over a Go channel.
func TestCloneModeAsBareChannel(t *testing.T) {
	skipOnWindows(t, "no Bare runtime is pinned for Windows")
	bareGot, _, bareFuncErr, bareNext, bareShared := bareChannelFacts(t)
	require.Equal(t, item{N: 1, List: []int{1}, Nested: map[string]string{"s": "a"}}, bareGot)
	require.Equal(t, "UNSERIALIZABLE_TYPE", bareFuncErr)
	require.Equal(t, "after", bareNext)
	require.True(t, bareShared)

	ctx := testCtx(t)
	write := func(a *channel.Port) *item {
		v := &item{N: 1, List: []int{1}, Nested: map[string]string{"s": "a"}}
		require.NoError(t, a.Write(ctx, v))
		v.N = 2
		v.List = append(v.List, 2)
		v.List[0] = 9
		v.Nested["s"] = "b"
		return v
	}

	a, b := pair(t, cloning.New())
	write(a)
	err := a.Write(ctx, map[string]any{"f": func() int { return 1 }})
	assert.ErrorIs(t, err, channel.ErrNotClonable, "a func is refused, as bare-channel refuses a function")
	assert.ErrorIs(t, a.Write(ctx, map[string]any{"c": make(chan int)}), channel.ErrNotClonable)
	assert.ErrorIs(t, a.Write(ctx, []any{channel.New()}), channel.ErrNotClonable)
	assert.ErrorIs(t, a.Write(ctx, b), channel.ErrNotClonable)
	shared := jsvalue.NewObject("s", "shared")
	require.NoError(t, a.Write(ctx, []any{shared, shared}))
	require.NoError(t, a.Write(ctx, "after"))

	v, err := b.Read(ctx)
	require.NoError(t, err)
	var got item
	require.NoError(t, jsvalue.Assign(v, &got))
	assert.Equal(t, bareGot, got, "the reader sees the value as written, as in bare-channel")
	v, err = b.Read(ctx)
	require.NoError(t, err)
	arr := v.([]any)
	assert.Same(t, arr[0], arr[1], "shared references stay shared, as in bare-channel")
	assert.NotSame(t, shared, arr[0], "and are copies")
	v, err = b.Read(ctx)
	require.NoError(t, err)
	assert.Equal(t, bareNext, v, "nothing was delivered for the refused values")

	a, b = pair(t, channel.New())
	w := write(a)
	v, err = b.Read(ctx)
	require.NoError(t, err)
	assert.Same(t, w, v, "by reference: the very pointer")
	assert.Equal(t, 2, v.(*item).N, "and the change shows")
}

// Write(nil) delivers nil, in both modes: a reader tells the end by io.EOF,
// so nil is an ordinary value (bare-channel's write(null) returns false and
// sends nothing, since its read() returns null at the end).
func TestWriteNilIsAValue(t *testing.T) {
	if runtime.GOOS != "windows" { // no Bare runtime is pinned for Windows
		_, bareNull, _, _, _ := bareChannelFacts(t)
		require.False(t, bareNull, "bare-channel's write(null) sends nothing")
	}
	for _, cfg := range []channel.Config{{}, cloning} {
		a, b := pair(t, cfg.New())
		ctx := testCtx(t)
		require.NoError(t, a.Write(ctx, nil))
		require.NoError(t, a.Write(ctx, "x"))
		require.NoError(t, a.Close())
		var got []any
		for v := range b.All(ctx) {
			got = append(got, v)
		}
		assert.Equal(t, []any{nil, "x"}, got, "clone %v", cfg.Clone != nil)
		_, err := b.Read(ctx)
		assert.Equal(t, io.EOF, err)
	}
}

// Stream is bare-channel's createStream: a duplex byte stream each way,
// whose Close ends the other side's reading.
func TestStreamDuplex(t *testing.T) {
	for _, cfg := range []channel.Config{{}, cloning} {
		a, b := pair(t, cfg.New())
		sa, sb := a.Stream(), b.Stream()
		_, err := io.WriteString(sa, "ping")
		require.NoError(t, err)
		buf := make([]byte, 4)
		_, err = io.ReadFull(sb, buf)
		require.NoError(t, err)
		assert.Equal(t, "ping", string(buf), "clone %v", cfg.Clone != nil)
		_, err = io.WriteString(sb, "pong")
		require.NoError(t, err)
		require.NoError(t, sb.Close())
		got, err := io.ReadAll(sa)
		require.NoError(t, err)
		assert.Equal(t, "pong", string(got), "clone %v", cfg.Clone != nil)
		require.NoError(t, sa.Close())
	}
}

// ReadValues and WriteValues carry typed values: by reference the values
// come as they are, through a cloning channel they are assigned back into
// the type; a value of another type ends the loop with an error.
func TestTypedValueStream(t *testing.T) {
	for _, cfg := range []channel.Config{{}, cloning} {
		a, b := pair(t, cfg.New())
		ctx := testCtx(t)
		want := []item{{N: 1, List: []int{1, 2}}, {N: 2, Nested: map[string]string{"k": "v"}}}
		done := make(chan error, 1)
		go func() {
			done <- channel.WriteValues(ctx, a, slices.Values(want))
			a.Close()
		}()
		var got []item
		for v, err := range channel.ReadValues[item](ctx, b) {
			require.NoError(t, err)
			got = append(got, v)
		}
		require.NoError(t, <-done)
		assert.Equal(t, want, got, "clone %v", cfg.Clone != nil)
	}

	a, b := pair(t, channel.New())
	ctx := context.Background()
	require.NoError(t, a.Write(ctx, "not an item"))
	var errs []error
	for _, err := range channel.ReadValues[item](ctx, b) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.ErrorContains(t, errs[0], "a string read where a channel_test.item was expected")
}

// Whatever the Clone hook, Write refuses by itself what no copy stands for
// (functions, Go channels, a *Channel or *Port, nested too), without
// calling the hook; an error of the hook refuses the value too; a handle
// written on its own moves without the hook; the reader gets the hook's
// copy.
func TestCloneHook(t *testing.T) {
	errHook := errors.New("the hook refuses")
	var calls []any
	hook := func(v any) (any, error) {
		calls = append(calls, v)
		if v == "refuse" {
			return nil, errHook
		}
		return []any{"copy", v}, nil
	}
	a, b := pair(t, channel.Config{Clone: hook}.New())
	ctx := testCtx(t)

	type Inner struct{ F func() }
	type inner struct{ F func() }
	type outer struct {
		inner
		N int
	}
	type shell struct {
		In  Inner
		Map map[string]any
	}
	type twin struct {
		N int
		C *channel.Channel
	}
	first := twin{C: channel.New()}
	refused := map[string]any{
		"a func":                  func() {},
		"a nil func in a map":     map[string]any{"f": (func())(nil)},
		"a nil Go channel":        struct{ C chan int }{},
		"a *Channel in a slice":   []any{channel.New()},
		"a *Port":                 b,
		"a *Port as a map key":    map[*channel.Port]int{b: 1},
		"an embedded struct's":    outer{inner: inner{F: func() {}}},
		"a func behind a pointer": &shell{Map: map[string]any{"p": &[]any{make(chan int)}}},
		"a pipe inside a slice":   []any{(*pipe.Pipe)(nil)},
		"a TCP handle in a map":   map[string]any{"h": (*uv.TCP)(nil)},
	}
	for name, v := range refused {
		assert.ErrorIs(t, a.Write(ctx, v), channel.ErrNotClonable, name)
	}
	// &first.N and &first share an address: both are walked (a *Channel
	// would otherwise reach the hook, which could make an empty object of it).
	assert.ErrorIs(t, a.Write(ctx, []any{&first.N, &first}), channel.ErrNotClonable)
	assert.Empty(t, calls, "the hook never saw a refused value")

	err := a.Write(ctx, "refuse")
	assert.ErrorIs(t, err, channel.ErrNotClonable)
	assert.ErrorIs(t, err, errHook)

	require.NoError(t, a.Write(ctx, &foo{name: "moved"}))
	require.NoError(t, a.Write(ctx, struct{ f func() }{}), "an unexported field is the hook's business")
	require.NoError(t, a.Write(ctx, 7))
	assert.Equal(t, []any{"refuse", struct{ f func() }{}, 7}, calls, "the moved value did not go through the hook")

	v, err := b.Read(ctx)
	require.NoError(t, err)
	assert.Equal(t, "moved", v.(*foo).name, "a moved value arrives as without Clone")
	v, err = b.Read(ctx)
	require.NoError(t, err)
	assert.Equal(t, []any{"copy", struct{ f func() }{}}, v, "the reader gets the hook's copy")
	v, err = b.Read(ctx)
	require.NoError(t, err)
	assert.Equal(t, []any{"copy", 7}, v)
}

// ReadValues stores a value that is not a T with the Config's Assign hook,
// whatever the channel's mode.
func TestReadValuesAssignHook(t *testing.T) {
	length := func(src, dst any) error {
		s, ok := src.(string)
		if !ok {
			return errors.New("not a string")
		}
		*dst.(*int) = len(s)
		return nil
	}
	a, b := pair(t, channel.Config{Assign: length}.New())
	ctx := testCtx(t)
	require.NoError(t, a.Write(ctx, 1))
	require.NoError(t, a.Write(ctx, "abc"))
	require.NoError(t, a.Write(ctx, 2.5))
	var got []int
	var errs []error
	for v, err := range channel.ReadValues[int](ctx, b) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, v)
	}
	assert.Equal(t, []int{1, 3}, got, "an int as it is, a string through the hook")
	require.Len(t, errs, 1)
	assert.ErrorContains(t, errs[0], "a float64 read where a int was expected: not a string")
}
