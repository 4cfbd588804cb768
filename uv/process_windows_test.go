package uv_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/internal/interop"
	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

// processTimeout bounds a child's start and run under Wine, where starting
// a process takes seconds on a loaded machine.
const processTimeout = 2 * time.Minute

// nodeScript writes a node script to a temporary file, removed by the
// test's cleanup. Not in t.TempDir: under Wine its RemoveAll fails ("Invalid
// function"), where os.Remove of a file works.
func nodeScript(t *testing.T, src string) string {
	t.Helper()
	f, err := os.CreateTemp("", "uvpipe-child-*.js")
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, os.Remove(f.Name())) })
	_, err = f.WriteString(src)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	return f.Name()
}

// Spawn gives a node.exe child an IPC pipe at fd 3 as Node's
// child_process.fork does (NODE_CHANNEL_FD=3): the child's libuv opens it
// from its C runtime's inherited-fd table, and its JSON messages, framed by
// libuv on both ends, reach the parent's end of the pipe as lines. The child
// disconnects and exits 0.
func TestSpawnNodeChildWithIPCPipeAtFD3(t *testing.T) {
	node := interop.NodeExe(t)
	script := nodeScript(t, `
process.on('message', (m) => { process.send({ echo: m }); process.disconnect(); });
process.send({ hello: 'from node' });
`)
	l := uvtest.NewLoop(t)
	ch, err := uv.NewPipe(l, true, 0)
	require.NoError(t, err)
	defer ch.Close()
	exited := make(chan uv.ExitStatus, 1)
	p, err := uv.Spawn(l, uv.ProcessOptions{
		File:  node,
		Args:  []string{node, script},
		Env:   append(os.Environ(), "NODE_CHANNEL_FD=3", "NODE_CHANNEL_SERIALIZATION_MODE=json"),
		Stdio: []uv.Stdio{{}, {}, {}, {Kind: uv.StdioPipe, Pipe: ch}},
		OnExit: func(code int64, sig int) {
			exited <- uv.ExitStatus{Code: code, Signal: sig}
		},
	})
	require.NoError(t, err)
	defer p.Close()
	assert.Positive(t, p.Pid())

	r := bufio.NewReader(ch)
	line, err := r.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, `{"hello":"from node"}`+"\n", line)
	_, err = ch.Write([]byte(`{"n":7}` + "\n"))
	require.NoError(t, err)
	line, err = r.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, `{"echo":{"n":7}}`+"\n", line)
	// Node's disconnect closes its end: the parent reads EOF.
	_, err = r.ReadString('\n')
	assert.Error(t, err)

	ctx, cancel := context.WithTimeout(context.Background(), processTimeout)
	defer cancel()
	st, err := p.Wait(ctx)
	require.NoError(t, err)
	assert.Equal(t, uv.ExitStatus{}, st)
	assert.Equal(t, st, <-exited)
	got, ok := p.Exited()
	assert.True(t, ok)
	assert.Equal(t, st, got)
	require.NoError(t, p.Close())
}

// A child's exit code comes back as Wait's status; Kill ends a child and
// the status names the signal; Kill after the exit is ESRCH.
func TestSpawnExitCodeAndKill(t *testing.T) {
	node := interop.NodeExe(t)
	l := uvtest.NewLoop(t)
	ctx, cancel := context.WithTimeout(context.Background(), processTimeout)
	defer cancel()

	p, err := uv.Spawn(l, uv.ProcessOptions{File: node, Args: []string{node, "-e", "process.exit(3)"}})
	require.NoError(t, err)
	st, err := p.Wait(ctx)
	require.NoError(t, err)
	assert.Equal(t, uv.ExitStatus{Code: 3}, st)
	assert.ErrorIs(t, p.Kill(15), syscall.ESRCH)
	require.NoError(t, p.Close())

	p, err = uv.Spawn(l, uv.ProcessOptions{File: node, Args: []string{node, "-e", "setInterval(() => {}, 1000)"}})
	require.NoError(t, err)
	require.NoError(t, p.Kill(0))
	require.NoError(t, p.Kill(15))
	st, err = p.Wait(ctx)
	require.NoError(t, err)
	assert.Equal(t, 15, st.Signal)
	require.NoError(t, p.Close())
}

// A program that does not exist fails Spawn with ENOENT, and the handle
// libuv had made is closed: the loop ends with no handle.
func TestSpawnMissingProgram(t *testing.T) {
	l := uvtest.NewLoop(t)
	_, err := uv.Spawn(l, uv.ProcessOptions{File: `C:\uvpipe-absent\absent.exe`})
	require.Error(t, err)
	assert.ErrorIs(t, err, syscall.ENOENT)
}

// Waiting for a child stops when the context ends.
func TestSpawnWaitContext(t *testing.T) {
	node := interop.NodeExe(t)
	l := uvtest.NewLoop(t)
	p, err := uv.Spawn(l, uv.ProcessOptions{File: node, Args: []string{node, "-e", "setInterval(() => {}, 1000)"}})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	go cancel()
	_, err = p.Wait(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	require.NoError(t, p.Kill(9))
	ctx2, cancel2 := context.WithTimeout(context.Background(), processTimeout)
	defer cancel2()
	st, err := p.Wait(ctx2)
	require.NoError(t, err)
	assert.Equal(t, 9, st.Signal)
	require.NoError(t, p.Close())
}

// Two IPC frames a node child writes back to back reach the parent's
// reader as two messages. It failed under Wine before uvp_quiet stopped
// quiet reads on Windows IPC pipes: with the first frame stashed, the alloc
// callback gave no room for the second one's payload, libuv for Windows
// (uv__pipe_read_ipc) counted the payload as read anyway, and the next read
// took payload bytes for a frame header: ECONNABORTED ("invalid frame") or
// a read blocked inside libuv.
func TestSpawnIPCPipeReadsFramesBackToBack(t *testing.T) {
	node := interop.NodeExe(t)
	script := nodeScript(t, `process.on('message', (m) => { process.send({ echo: m }); });`)
	l := uvtest.NewLoop(t)
	ch, err := uv.NewPipe(l, true, 0)
	require.NoError(t, err)
	defer ch.Close()
	p, err := uv.Spawn(l, uv.ProcessOptions{
		File:  node,
		Args:  []string{node, script},
		Env:   append(os.Environ(), "NODE_CHANNEL_FD=3", "NODE_CHANNEL_SERIALIZATION_MODE=json"),
		Stdio: []uv.Stdio{{}, {}, {}, {Kind: uv.StdioPipe, Pipe: ch}},
	})
	require.NoError(t, err)
	defer p.Close()
	r := bufio.NewReader(ch)
	for round := 0; round < 20; round++ {
		for i := 0; i < 2; i++ {
			_, err = ch.Write([]byte(fmt.Sprintf(`{"n":%d}`+"\n", 2*round+i)))
			require.NoError(t, err)
		}
		for i := 0; i < 2; i++ {
			line, err := r.ReadString('\n')
			require.NoError(t, err, "round %d, frame %d", round, i)
			require.Equal(t, fmt.Sprintf(`{"echo":{"n":%d}}`+"\n", 2*round+i), line)
		}
	}
	require.NoError(t, p.Kill(9))
	ctx, cancel := context.WithTimeout(context.Background(), processTimeout)
	defer cancel()
	_, err = p.Wait(ctx)
	require.NoError(t, err)
}
