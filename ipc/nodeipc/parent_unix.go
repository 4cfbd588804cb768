//go:build unix

package nodeipc

import (
	"os/exec"

	"github.com/uvpipe/uvpipe/pipe"
)

// startedChild is what Wait releases besides cmd: nothing on unix, where
// cmd.Wait releases all.
type startedChild struct{}

func (*startedChild) finish() error { return nil }

// startChild starts cmd with the child's end of a unix socket pair at its
// fd (cmd.ExtraFiles[fd-3]) and the channel's variables in its environment,
// and returns the parent's end. On error cmd is left as it was.
func startChild(cmd *exec.Cmd, fd int, mode Serialization) (*pipe.Pipe, *startedChild, error) {
	idx := fd - 3
	parentFD, childFile, err := socketPair()
	if err != nil {
		return nil, nil, err
	}
	defer childFile.Close() // the child has its own copy once started
	p, err := pipe.Config{IPC: true}.Open(parentFD)
	if err != nil {
		closeFD(parentFD)
		return nil, nil, err
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
		return nil, nil, err
	}
	return p, nil, nil
}
