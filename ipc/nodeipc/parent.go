package nodeipc

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// The environment variables through which a child finds its channel.
const (
	envFD   = "NODE_CHANNEL_FD"
	envMode = "NODE_CHANNEL_SERIALIZATION_MODE"
)

// Start starts cmd with an IPC channel, as Node's child_process.fork and
// spawn with 'ipc' in stdio do, and returns the parent's end. cmd is an
// ordinary, not yet started *exec.Cmd: its Path, Args, Env, Dir, Stdin,
// Stdout, Stderr and ExtraFiles all apply (on unix SysProcAttr and the rest
// too: cmd.Start starts it; on Windows uv_spawn starts it, see below).
//
// The child's end of the channel becomes its fd opts.FD (3 unless set:
// cmd.ExtraFiles[opts.FD-3], which must be free), and the child's
// environment (cmd.Env, or the parent's) gets NODE_CHANNEL_FD and
// NODE_CHANNEL_SERIALIZATION_MODE, replacing any values already there. A
// node child then has process.send and process.on('message'); a Go child
// calls FromEnv.
//
// On unix the channel is a unix socket pair and the child's end is placed
// at its fd by exec, as cmd.ExtraFiles. On Windows the channel is a named
// pipe made by libuv's uv_spawn, which starts the child: its end is fd
// opts.FD of the child's C runtime (the inherited-fd table Node's children
// read), as Node's own child_process does; os/exec cannot pass it. There
// Stdin, Stdout and Stderr are the child's fds 0 to 2 as os/exec makes them
// (an *os.File is inherited, another reader or writer is copied through an
// OS pipe, nil is the NUL device), ExtraFiles are its fds from 3 on, of
// SysProcAttr only HideWindow applies, and cmd.Process is the child found
// by its pid (os.FindProcess), so that cmd.Process.Kill, cmd.Wait and
// cmd.ProcessState work as they do on unix. The context of
// exec.CommandContext, cmd.Cancel and cmd.WaitDelay keep os/exec's meaning
// there too, Start and Wait applying them as cmd.Start and cmd.Wait would:
// a context done before Start fails it; done later, it calls cmd.Cancel (by
// default a kill), and Wait returns the context's error when the child
// then exited with status 0; WaitDelay bounds the wait for the copying of
// the child's output after it exited, and after the context is done for
// the child itself, then kills it.
//
// Call Wait to wait for the child and release the channel.
func Start(cmd *exec.Cmd, opts Options) (*Channel, error) {
	mode, err := opts.serialization()
	if err != nil {
		return nil, err
	}
	rt, err := opts.runtime()
	if err != nil {
		return nil, err
	}
	detect := rt == ""
	if detect && mode == Advanced {
		rt = commandRuntime(cmd)
	}
	fd := opts.FD
	if fd == 0 {
		fd = DefaultFD
	}
	if fd < 3 {
		return nil, fmt.Errorf("nodeipc: the child's channel fd must be 3 or more, not %d (0-2 are its stdio)", fd)
	}
	if cmd.Process != nil {
		return nil, errors.New("nodeipc: Start: the command was already started")
	}
	idx := fd - 3
	if idx < len(cmd.ExtraFiles) && cmd.ExtraFiles[idx] != nil {
		return nil, fmt.Errorf("nodeipc: the child's fd %d is already taken by cmd.ExtraFiles[%d]", fd, idx)
	}
	p, child, err := startChild(cmd, fd, mode)
	if err != nil {
		return nil, err
	}
	c := newChannel(p, mode, rt, detect, opts, cmd)
	c.child = child
	c.bunPid = commandBunPid(cmd, opts.Runtime)
	return c, nil
}

// channelEnv is env without any NODE_CHANNEL_ variables, with the channel's.
func channelEnv(env []string, fd int, mode Serialization) []string {
	out := make([]string, 0, len(env)+2)
	for _, kv := range env {
		if strings.HasPrefix(kv, envFD+"=") || strings.HasPrefix(kv, envMode+"=") {
			continue
		}
		out = append(out, kv)
	}
	return append(out, envFD+"="+strconv.Itoa(fd), envMode+"="+string(mode))
}

// Wait waits for the child started by Start to exit, as exec.Cmd.Wait, then
// closes the channel (Close). Messages still unread are discarded: Recv what
// you expect before calling Wait, as exec.Cmd's pipes must be read before
// Wait. On a channel not made by Start it returns an error.
func (c *Channel) Wait() error {
	if c.cmd == nil {
		return errors.New("nodeipc: Wait: the channel has no child (it was not made by Start)")
	}
	err := c.cmd.Wait()
	if ferr := c.child.finish(); err == nil {
		err = ferr
	}
	c.Close()
	return err
}

// Process returns the child started by Start, or nil.
func (c *Channel) Process() *os.Process {
	if c.cmd == nil {
		return nil
	}
	return c.cmd.Process
}
