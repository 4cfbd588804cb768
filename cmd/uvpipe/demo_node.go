package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"time"

	"github.com/uvpipe/uvpipe/ipc/nodeipc"
)

// demoNodeChild is the node child's script, run with node -e.
//
//go:embed demo_node_child.js
var demoNodeChild string

// demoNode does what demoChild does with a node child: started with a Node
// IPC channel (nodeipc.Start), it is sent a listening TCP socket with NODE_HANDLE
// (nodeipc.Channel.SendHandle), serves on it, and this process connects through
// it and exchanges messages; then the channel is disconnected and the child
// exits. Without node on the PATH it says it skipped this part.
func demoNode(rounds int) error {
	node, err := exec.LookPath("node")
	if err != nil {
		fmt.Println("node is not on the PATH: skipped the node child")
		return nil
	}
	start := time.Now()
	cmd := exec.Command(node, "-e", demoNodeChild)
	cmd.Stdout, cmd.Stderr = nil, nil
	ch, err := nodeipc.Start(cmd, nodeipc.Options{})
	if err != nil {
		return fmt.Errorf("starting the node child: %w", err)
	}
	defer ch.Close()
	stopped := false
	defer func() {
		if !stopped {
			cmd.Process.Kill()
			ch.Wait()
		}
	}()
	fmt.Printf("node child started (pid %d) with a Node IPC channel in %v\n", cmd.Process.Pid, since(start))

	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	start = time.Now()
	err = ch.SendHandle("serve", ln, nodeipc.SendOptions{})
	ln.Close() // the child has its own copy once sent
	if err != nil {
		return fmt.Errorf("sending the listening socket to node: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	var ready struct {
		Ready   bool
		Version string
	}
	m, err := ch.Recv(ctx)
	if err == nil {
		err = m.Decode(&ready)
	}
	if err != nil || !ready.Ready {
		return fmt.Errorf("the node child did not say it was serving: %v", err)
	}
	fmt.Printf("sent it a listening socket %s with NODE_HANDLE; node %s serving on it %v after the send\n", addr, ready.Version, since(start))

	if err := talkThrough(addr, rounds); err != nil {
		return err
	}

	start = time.Now()
	ch.Disconnect()
	err = ch.Wait()
	stopped = true
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return fmt.Errorf("the node child failed: %v", exit.ProcessState)
	}
	if err != nil {
		return err
	}
	fmt.Printf("channel disconnected, node child stopped (%v) in %v\n", cmd.ProcessState, since(start))
	return nil
}
