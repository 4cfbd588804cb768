package nodeipc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/windows"

	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
)

// startedChild is what Wait releases besides cmd on Windows: libuv's
// process handle, the goroutines that copy the child's stdio from and to
// cmd's readers and writers, and the watch of cmd's context. Since
// cmd.Start is not called there, os/exec's own handling of the context,
// Cancel and WaitDelay does not run: this does the same (see watch and
// finish).
type startedChild struct {
	proc *uv.Process
	cmd  *exec.Cmd
	ctx  context.Context
	// ctxResult, when the context is watched, hands the watch's outcome to
	// finish, as exec.Cmd's does to its Wait.
	ctxResult chan ctxResult
	// copyDone, when there are copying goroutines, receives their first
	// error once all of them have returned; nil once that was received.
	copyDone chan error
	// parentPipes are the parent's ends of the copied pipes, closed when
	// WaitDelay runs out before the copying ended (a grandchild may hold
	// the child's ends open).
	parentPipes []io.Closer
}

// ctxResult is what the watch of cmd's context found: the error Wait
// reports when the child itself exited well, and the WaitDelay timer still
// running, if any.
type ctxResult struct {
	err   error
	timer *time.Timer
}

// startCopies runs the copying goroutines; copyDone gets their first error
// once the last one has returned.
func (s *startedChild) startCopies(fs []func() error) {
	if len(fs) == 0 {
		return
	}
	done := make(chan error, 1)
	s.copyDone = done
	var mu sync.Mutex
	var first error
	left := len(fs)
	for _, f := range fs {
		go func() {
			err := f()
			mu.Lock()
			defer mu.Unlock()
			if first == nil {
				first = err
			}
			if left--; left == 0 {
				done <- first
			}
		}()
	}
}

// watch is exec.Cmd's watch of its context, for a child that uv_spawn
// started: when the context is done before Wait has seen the child exit,
// it calls cmd.Cancel (by default exec.CommandContext's, which kills the
// child); then, with a WaitDelay, it waits that long for Wait to see the
// exit, kills the child if Wait has not, and closes the parent's pipe ends
// if the copying goroutines have not finished. Its outcome goes to
// ctxResult once finish asks for it.
func (s *startedChild) watch() {
	select {
	case s.ctxResult <- ctxResult{}:
		return
	case <-s.ctx.Done():
	}
	var err error
	if s.cmd.Cancel != nil {
		if cerr := s.cmd.Cancel(); cerr == nil {
			err = s.ctx.Err() // whatever the child does now may be the context's doing
		} else if !errors.Is(cerr, os.ErrProcessDone) {
			err = fmt.Errorf("nodeipc: canceling the child: %w", cerr)
		}
	}
	if s.cmd.WaitDelay == 0 {
		s.ctxResult <- ctxResult{err: err}
		return
	}
	timer := time.NewTimer(s.cmd.WaitDelay)
	select {
	case s.ctxResult <- ctxResult{err: err, timer: timer}:
		return // finish waits for the copying with what is left of the delay
	case <-timer.C:
	}
	killed := false
	if kerr := s.cmd.Process.Kill(); kerr == nil {
		killed = true
	} else if !errors.Is(kerr, os.ErrProcessDone) {
		err = fmt.Errorf("nodeipc: killing the child: %w", kerr)
	}
	if s.copyDone != nil {
		select {
		case cerr := <-s.copyDone:
			if err == nil && !killed {
				err = cerr
			}
		default:
			closeAll(s.parentPipes)
			<-s.copyDone // its error comes from the closing
			if err == nil {
				err = exec.ErrWaitDelay
			}
		}
		s.copyDone = nil
	}
	s.ctxResult <- ctxResult{err: err}
}

// awaitCopies waits for the copying goroutines and returns their first
// error, as exec.Cmd.Wait does: with a WaitDelay (timer, or a new one of
// cmd.WaitDelay), when the delay runs out first the parent's pipe ends are
// closed and the error is exec.ErrWaitDelay.
func (s *startedChild) awaitCopies(timer *time.Timer) error {
	if timer != nil {
		defer timer.Stop()
	}
	done := s.copyDone
	s.copyDone = nil
	if done == nil {
		return nil
	}
	if timer == nil {
		if s.cmd.WaitDelay == 0 {
			return <-done
		}
		select {
		case err := <-done:
			return err
		default:
		}
		timer = time.NewTimer(s.cmd.WaitDelay)
		defer timer.Stop()
	}
	select {
	case <-timer.C:
		closeAll(s.parentPipes)
		<-done // its error comes from the closing
		return exec.ErrWaitDelay
	case err := <-done:
		return err
	}
}

// finish waits for libuv to see the child's exit (cmd.Wait has seen it),
// takes the outcome of the context's watch, waits for the copying
// goroutines (within WaitDelay, if set) and closes the process handle. Its
// error, which Wait reports when cmd.Wait had none, is the watch's (the
// context's error when cmd.Cancel ended the child, a Cancel or Kill
// failure, exec.ErrWaitDelay), else the copying's first.
func (s *startedChild) finish() error {
	if s == nil {
		return nil
	}
	s.proc.Wait(context.Background()) //nolint:errcheck // the child has exited: only a closed loop fails, and Close follows
	var err error
	var timer *time.Timer
	if s.ctxResult != nil {
		r := <-s.ctxResult
		err, timer = r.err, r.timer
	}
	if cerr := s.awaitCopies(timer); err == nil {
		err = cerr
	}
	s.proc.Close()
	return err
}

// stdio is the child's fds as uv.Spawn takes them, with what the parent
// must close once the child runs (closeAfter) or on failure (closeOnError),
// and the copying to start once it runs.
type stdio struct {
	fds          []uv.Stdio
	closeAfter   []io.Closer
	closeOnError []io.Closer
	copies       []func() error
}

func closeAll(cs []io.Closer) {
	for _, c := range cs {
		c.Close()
	}
}

// file gives the child fd i from f.
func (s *stdio) file(i int, f *os.File) {
	s.fds[i] = uv.Stdio{Kind: uv.StdioInheritHandle, Handle: f.Fd()}
}

// reader gives the child fd i reading from r, as exec.Cmd's Stdin: an
// *os.File is inherited; another reader is copied into an OS pipe.
func (s *stdio) reader(i int, r io.Reader) error {
	switch r := r.(type) {
	case nil:
		return nil // uv.StdioIgnore: the NUL device
	case *os.File:
		s.file(i, r)
		return nil
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return err
	}
	s.file(i, pr)
	s.closeAfter = append(s.closeAfter, pr)
	s.closeOnError = append(s.closeOnError, pw)
	s.copies = append(s.copies, func() error {
		_, err := io.Copy(pw, r)
		if errors.Is(err, os.ErrClosed) || isBrokenPipe(err) {
			err = nil // the child stopped reading, as exec.Cmd forgives
		}
		if cerr := pw.Close(); err == nil {
			err = cerr
		}
		return err
	})
	return nil
}

// writer gives the child fd i writing to w, as exec.Cmd's Stdout.
func (s *stdio) writer(i int, w io.Writer) error {
	switch w := w.(type) {
	case nil:
		return nil
	case *os.File:
		s.file(i, w)
		return nil
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return err
	}
	s.file(i, pw)
	s.closeAfter = append(s.closeAfter, pw)
	s.closeOnError = append(s.closeOnError, pr)
	s.copies = append(s.copies, func() error {
		_, err := io.Copy(w, pr)
		pr.Close()
		return err
	})
	return nil
}

// startChild starts cmd with libuv's uv_spawn: the channel, a duplex named
// pipe libuv makes, is the child's C runtime fd fd, and the parent's end is
// returned as a *pipe.Pipe. libuv records the child as the pipe's peer, for
// whom it duplicates the sockets sent over it. On error cmd is left as it
// was and no child runs.
func startChild(cmd *exec.Cmd, fd int, mode Serialization) (*pipe.Pipe, *startedChild, error) {
	if cmd.Err != nil {
		return nil, nil, cmd.Err
	}
	if cmd.Path == "" {
		return nil, nil, errors.New("nodeipc: Start: cmd.Path is empty")
	}
	ctx, err := commandContext(cmd)
	if err != nil {
		return nil, nil, err
	}
	if cmd.Cancel != nil && ctx == nil {
		return nil, nil, errors.New("nodeipc: Start: the command has a Cancel function but was not made by exec.CommandContext")
	}
	if ctx != nil {
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		default:
		}
	}
	n := 3 + len(cmd.ExtraFiles)
	if fd >= n {
		n = fd + 1
	}
	s := &stdio{fds: make([]uv.Stdio, n)}
	fail := func(err error) (*pipe.Pipe, *startedChild, error) {
		closeAll(s.closeAfter)
		closeAll(s.closeOnError)
		return nil, nil, err
	}
	if err := s.reader(0, cmd.Stdin); err != nil {
		return fail(err)
	}
	if err := s.writer(1, cmd.Stdout); err != nil {
		return fail(err)
	}
	if cmd.Stderr != nil && interfaceEqual(cmd.Stderr, cmd.Stdout) {
		s.fds[2] = s.fds[1] // one pipe and one copier for both, as exec.Cmd does
	} else if err := s.writer(2, cmd.Stderr); err != nil {
		return fail(err)
	}
	for i, f := range cmd.ExtraFiles {
		if f != nil {
			s.file(3+i, f)
		}
	}
	ch, err := pipe.Config{IPC: true}.NewTarget()
	if err != nil {
		return fail(err)
	}
	s.fds[fd] = uv.Stdio{Kind: uv.StdioPipe, Pipe: ch.UV()}
	args := cmd.Args
	if len(args) == 0 {
		args = []string{cmd.Path}
	}
	opts := uv.ProcessOptions{
		File:  cmd.Path,
		Args:  args,
		Env:   channelEnv(cmd.Environ(), fd, mode),
		Dir:   cmd.Dir,
		Stdio: s.fds,
	}
	if cmd.SysProcAttr != nil {
		opts.HideWindow = cmd.SysProcAttr.HideWindow
	}
	proc, err := uv.Spawn(ch.UV().Loop(), opts)
	if err != nil {
		ch.Close()
		return fail(&os.PathError{Op: "uv_spawn", Path: cmd.Path, Err: err})
	}
	closeAll(s.closeAfter) // the child has its own copies
	p, err := os.FindProcess(proc.Pid())
	if err != nil {
		proc.Kill(9) //nolint:errcheck // ends a child no one could wait for
		proc.Wait(context.Background())
		proc.Close()
		ch.Close()
		closeAll(s.closeOnError)
		return nil, nil, fmt.Errorf("nodeipc: the child started by uv_spawn (pid %d) cannot be opened: %w", proc.Pid(), err)
	}
	cmd.Process = p
	child := &startedChild{proc: proc, cmd: cmd, ctx: ctx, parentPipes: s.closeOnError}
	child.startCopies(s.copies)
	if (cmd.Cancel != nil || cmd.WaitDelay != 0) && ctx != nil && ctx.Done() != nil {
		child.ctxResult = make(chan ctxResult)
		go child.watch()
	}
	return ch, child, nil
}

// interfaceEqual is exec.Cmd's test for Stdout and Stderr being one writer.
func interfaceEqual(a, b any) bool {
	defer func() { recover() }() //nolint:errcheck // incomparable values are not equal
	return a == b
}

// isBrokenPipe reports a write to a pipe whose reader has gone.
func isBrokenPipe(err error) bool {
	return errors.Is(err, syscall.ERROR_BROKEN_PIPE) || errors.Is(err, windows.ERROR_NO_DATA) || errors.Is(err, syscall.EPIPE)
}
