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

	"golang.org/x/sys/windows"

	"github.com/uvpipe/uvpipe/pipe"
	"github.com/uvpipe/uvpipe/uv"
)

// startedChild is what Wait releases besides cmd on Windows: libuv's
// process handle, and the goroutines that copy the child's stdio from and
// to cmd's readers and writers.
type startedChild struct {
	proc    *uv.Process
	copiers sync.WaitGroup
	mu      sync.Mutex
	copyErr error // the first copying error
}

// finish waits for libuv to see the child's exit (cmd.Wait has seen it),
// closes the process handle and waits for the copying goroutines, as
// exec.Cmd.Wait waits for its own; their first error is returned.
func (s *startedChild) finish() error {
	if s == nil {
		return nil
	}
	s.proc.Wait(context.Background()) //nolint:errcheck // the child has exited: only a closed loop fails, and Close follows
	s.proc.Close()
	s.copiers.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.copyErr
}

func (s *startedChild) copying(f func() error) {
	s.copiers.Add(1)
	go func() {
		defer s.copiers.Done()
		if err := f(); err != nil {
			s.mu.Lock()
			if s.copyErr == nil {
				s.copyErr = err
			}
			s.mu.Unlock()
		}
	}()
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
	child := &startedChild{proc: proc}
	for _, f := range s.copies {
		child.copying(f)
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
