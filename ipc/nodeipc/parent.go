package nodeipc

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/uvpipe/uvpipe/pipe"
)

// The environment variables through which a child finds its channel.
const (
	envFD   = "NODE_CHANNEL_FD"
	envMode = "NODE_CHANNEL_SERIALIZATION_MODE"
)

// Start starts cmd with an IPC channel, as Node's child_process.fork and
// spawn with 'ipc' in stdio do, and returns the parent's end. cmd is an
// ordinary, not yet started *exec.Cmd: its Stdin, Stdout, Stderr, Dir,
// SysProcAttr, and so on all apply.
//
// The child's end of a unix socket pair becomes its fd opts.FD (3 unless
// set: cmd.ExtraFiles[opts.FD-3], which must be free), and the child's
// environment (cmd.Env, or the parent's) gets NODE_CHANNEL_FD and
// NODE_CHANNEL_SERIALIZATION_MODE, replacing any values already there. A
// node child then has process.send and process.on('message'); a Go child
// calls FromEnv.
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
	parentFD, childFile, err := socketPair()
	if err != nil {
		return nil, err
	}
	defer childFile.Close() // the child has its own copy once started
	p, err := pipe.Config{IPC: true}.Open(parentFD)
	if err != nil {
		closeFD(parentFD)
		return nil, err
	}
	extra := cmd.ExtraFiles
	for len(cmd.ExtraFiles) <= idx {
		cmd.ExtraFiles = append(cmd.ExtraFiles, nil)
	}
	cmd.ExtraFiles[idx] = childFile
	env := cmd.Env
	cmd.Env = channelEnv(cmd.Environ(), fd, mode)
	if err := cmd.Start(); err != nil {
		cmd.ExtraFiles, cmd.Env = extra, env
		p.Close()
		return nil, err
	}
	return newChannel(p, mode, rt, detect, opts, cmd), nil
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
