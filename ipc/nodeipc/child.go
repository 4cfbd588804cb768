package nodeipc

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// FromEnv returns the channel of a program started by Node's
// child_process.fork, or spawn with 'ipc' in stdio (or by Start): its fd is
// in NODE_CHANNEL_FD and its serialization in NODE_CHANNEL_SERIALIZATION_MODE
// (json when unset). Both variables are removed from the environment, as
// Node removes them, so the program's own children do not inherit them.
// Without NODE_CHANNEL_FD it returns ErrNoChannel.
func FromEnv() (*Channel, error) {
	return FromEnvOptions(Options{})
}

// FromEnvOptions is FromEnv with options: opts.Serialization and opts.FD are
// ignored (the environment says them); opts.MaxMessageSize, opts.Runtime
// and opts.OnMessage apply.
func FromEnvOptions(opts Options) (*Channel, error) {
	fdText, ok := os.LookupEnv(envFD)
	modeText := os.Getenv(envMode)
	os.Unsetenv(envFD)
	os.Unsetenv(envMode)
	if !ok {
		return nil, ErrNoChannel
	}
	fd, err := strconv.Atoi(strings.TrimSpace(fdText))
	if err != nil || fd < 0 {
		return nil, fmt.Errorf("nodeipc: %s=%q is not an fd number", envFD, fdText)
	}
	opts.Serialization = Serialization(modeText)
	if _, err := opts.serialization(); err != nil {
		return nil, wrapf(err, "%s", envMode)
	}
	c, err := Open(fd, opts)
	if err != nil {
		return nil, wrapf(err, "fd %d from %s", fd, envFD)
	}
	return c, nil
}
