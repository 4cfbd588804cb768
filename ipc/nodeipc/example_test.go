//go:build !windows

package nodeipc_test

import (
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"

	"golang.org/x/sys/unix"

	"github.com/uvpipe/uvpipe/ipc/nodeipc"
)

// Two channels over the two ends of a unix socket pair, in one process:
// each end speaks Node's protocol, as a parent and its child do.
func ExampleOpen() {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		log.Fatal(err)
	}
	a, err := nodeipc.Open(fds[0], nodeipc.Options{Serialization: nodeipc.Advanced})
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()
	b, err := nodeipc.Open(fds[1], nodeipc.Options{Serialization: nodeipc.Advanced})
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()

	if err := a.Send(map[string]any{"job": 1}); err != nil {
		log.Fatal(err)
	}
	m, err := b.Recv(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	var job struct{ Job int }
	if err := m.Decode(&job); err != nil {
		log.Fatal(err)
	}
	fmt.Println("job", job.Job)
	// Output: job 1
}

// A listening socket sent with a message: Wait makes SendHandle return once
// the peer acknowledged the handle (or gave it up: a *SendError), and the
// receiver learns what it got from the handle's Kind.
func ExampleChannel_SendHandle() {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		log.Fatal(err)
	}
	parent, err := nodeipc.Open(fds[0], nodeipc.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer parent.Close()
	child, err := nodeipc.Open(fds[1], nodeipc.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer child.Close()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close() // the sender's copy; the child's stays open
	if err := parent.SendHandle("serve", ln, nodeipc.SendOptions{Wait: true}); err != nil {
		log.Fatal(err)
	}
	fmt.Println("acknowledged")

	m, err := child.Recv(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Value, m.Handle.Kind(), m.Handle.Kind() == nodeipc.KindTCPListener, m.Handle.Kind().NodeType())
	l, err := m.Handle.Listener()
	if err != nil {
		log.Fatal(err)
	}
	l.Close()
	// Output:
	// acknowledged
	// serve tcp listener true net.Server
}

// A Go program as the child of a Node parent, which started it with
//
//	spawn('./worker', [], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] })
//	child.send({ serve: true }, server)
//
// It receives the parent's listening socket and serves HTTP on it beside
// Node, then answers.
func ExampleFromEnv() {
	ch, err := nodeipc.FromEnv()
	if err != nil {
		log.Fatal(err) // nodeipc.ErrNoChannel: not started with a channel
	}
	defer ch.Close()
	m, err := ch.Recv(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	if m.Handle != nil { // a net.Server in Node
		ln, err := m.Handle.Listener()
		if err != nil {
			log.Fatal(err)
		}
		go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintln(w, "hello from Go")
		}))
	}
	if err := ch.Send(map[string]any{"ready": true}); err != nil {
		log.Fatal(err)
	}
	<-ch.Done() // until the parent disconnects
}

// A Go program as the child of Bun's guide's parent.ts, which starts it
// with Bun.spawn and an ipc callback (Bun's default, advanced
// serialization: JavaScriptCore's format, found by FromEnv from the
// parent):
//
//	const childProc = Bun.spawn(["./child"], {
//	  ipc(message, childProc) { childProc.send("Respond to child") },
//	});
//	childProc.send("I am your father");
//
// Buffers, Maps, Dates and BigInts cross as themselves.
func ExampleFromEnv_bun() {
	ch, err := nodeipc.FromEnv()
	if err != nil {
		log.Fatal(err)
	}
	defer ch.Close()
	if err := ch.Send(map[string]any{"hello": "from Go", "raw": []byte{1, 2, 3}}); err != nil {
		log.Fatal(err)
	}
	for {
		m, err := ch.Recv(context.Background())
		if err != nil {
			return // io.EOF: the parent disconnected
		}
		fmt.Println(ch.Runtime(), m.Value) // bun I am your father, then bun Respond to child
	}
}

// A Go parent starts a Node child with a channel, sends it a listening
// socket and a message, and waits for its answer.
func ExampleStart() {
	cmd := exec.Command("node", "worker.js")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	ch, err := nodeipc.Start(cmd, nodeipc.Options{Serialization: nodeipc.Advanced})
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer ln.Close()
	if err := ch.SendHandle(map[string]any{"serve": true}, ln, nodeipc.SendOptions{}); err != nil {
		log.Fatal(err)
	}
	m, err := ch.Recv(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Value)
	ch.Disconnect() // the child's 'disconnect' event
	if err := ch.Wait(); err != nil {
		log.Fatal(err)
	}
}

// A handler receives every message, in order, on a goroutine of the
// channel's, instead of Recv: the callback style of Bun's ipc option.
func ExampleChannel_OnMessage() {
	ch, err := nodeipc.FromEnv()
	if err != nil {
		log.Fatal(err)
	}
	err = ch.OnMessage(func(c *nodeipc.Channel, m nodeipc.Message, err error) {
		if err != nil {
			return // a bad message, or the end of the channel
		}
		c.Send(m.Value) // echo
	})
	if err != nil {
		log.Fatal(err)
	}
	<-ch.Done()
}
