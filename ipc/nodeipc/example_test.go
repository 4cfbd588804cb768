package nodeipc_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"

	"github.com/uvpipe/uvpipe/ipc/nodeipc"
)

// A Go parent starts a child with an IPC channel, sends it a message and
// reads the answer. The child here is this test binary's echo child; it
// could as well be `node worker.js`.
func Example() {
	self, err := os.Executable()
	if err != nil {
		fmt.Println(err)
		return
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), "UVPIPE_IPC_CHILD=echo")
	cmd.Stderr = os.Stderr
	ch, err := nodeipc.Start(cmd, nodeipc.Options{Serialization: nodeipc.JSON})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := ch.Send(map[string]any{"hello": "world"}); err != nil {
		fmt.Println(err)
	}
	m, err := ch.Recv(context.Background())
	if err != nil {
		fmt.Println(err)
	}
	var got struct{ Hello string }
	m.Decode(&got)
	fmt.Println(got.Hello)
	ch.Disconnect() // the child sees the end of the channel and exits
	fmt.Println(ch.Wait())
	// Output:
	// world
	// <nil>
}
