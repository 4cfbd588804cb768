//go:build !windows

package bareipc_test

import (
	"fmt"
	"log"
	"os"
	"os/exec"

	"github.com/uvpipe/uvpipe/ipc/bareipc"
	"github.com/uvpipe/uvpipe/pipe"
)

// A port pair in one process, each port connected and framed as a
// MessagePort in bare-structured-clone, as a Bare program frames it.
func ExampleOpen() {
	a, b, err := bareipc.Open()
	if err != nil {
		log.Fatal(err)
	}
	sa, err := a.Connect(pipe.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer sa.Close()
	sb, err := b.Connect(pipe.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer sb.Close()

	ma := bareipc.NewMessagePort(sa, bareipc.StructuredClone, 0)
	mb := bareipc.NewMessagePort(sb, bareipc.StructuredClone, 0)
	if err := ma.Send(map[string]any{"hello": "bare"}); err != nil {
		log.Fatal(err)
	}
	var got struct{ Hello string }
	if err := mb.RecvInto(&got); err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Hello)
	// Output: bare
}

// A parent hands one port of a pair to a child process; the child (see
// ExampleFromEnv) rebuilds it from its environment.
func ExamplePort_HandTo() {
	mine, theirs, err := bareipc.Open()
	if err != nil {
		log.Fatal(err)
	}
	cmd := exec.Command("./child")
	release, err := theirs.HandTo(cmd)
	if err != nil {
		log.Fatal(err)
	}
	err = cmd.Start()
	release() // this process's copies of the child's fds
	if err != nil {
		log.Fatal(err)
	}
	s, err := mine.Connect(pipe.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	fmt.Fprintln(s, "hello, child")
	cmd.Wait()
}

// The child's side of Port.HandTo: the port its parent handed it, as a
// stream.
func ExampleFromEnv() {
	port, err := bareipc.FromEnv()
	if err != nil {
		log.Fatal(err) // bareipc.ErrNoPort: no port was handed to this process
	}
	s, err := port.Connect(pipe.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	buf := make([]byte, 64)
	n, _ := s.Read(buf)
	os.Stdout.Write(buf[:n])
}
