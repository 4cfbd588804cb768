//go:build unix

package nodeipc

import (
	"errors"
	"os/exec"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	"github.com/uvpipe/uvpipe/pipe"
)

// On unix bun passes sockets as Node does (SCM_RIGHTS): no channel has a
// bunPid there, and these are never called with one.

func (c *Channel) bunHandleData(*outgoing) ([]byte, error) {
	return nil, errors.New("nodeipc: Bun's socket field is Windows only")
}

func (c *Channel) bunSocket(*jsvalue.Object) *pipe.ReceivedHandle { return nil }

func commandBunPid(*exec.Cmd, Runtime) uint32 { return 0 }

func parentBunPid(int, Runtime) uint32 { return 0 }
