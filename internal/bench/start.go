//go:build !windows

package bench

import (
	"fmt"
	"os"
	"os/exec"

	"golang.org/x/sys/unix"
)

// Starter starts the named peer (one of Peers) on one end of a fresh unix
// socket pair, and returns the other end's fd and a function that waits for
// the peer to exit.
type Starter func(name string) (fd int, wait func() error, err error)

// ExecStarter starts peers by running exe with args, telling it which peer
// to be with the environment variable env=name; its TestMain or main must
// then run Peers[name].
func ExecStarter(exe string, args []string, env string) Starter {
	return func(name string) (int, func() error, error) {
		fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return -1, nil, os.NewSyscallError("socketpair", err)
		}
		end := os.NewFile(uintptr(fds[1]), "peer")
		defer end.Close()
		cmd := exec.Command(exe, args...)
		cmd.Env = append(os.Environ(), env+"="+name)
		cmd.ExtraFiles = []*os.File{end}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			unix.Close(fds[0])
			return -1, nil, err
		}
		return fds[0], func() error {
			if err := cmd.Wait(); err != nil {
				return fmt.Errorf("peer %s: %w", name, err)
			}
			return nil
		}, nil
	}
}
