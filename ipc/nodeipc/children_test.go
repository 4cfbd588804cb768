package nodeipc_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	"github.com/uvpipe/uvpipe/ipc/nodeipc"
)

// children are the helpers a re-executed test binary runs, by the name in
// UVPIPE_IPC_CHILD.
var children = map[string]func() int{
	"echo": echoChild,
}

// echoChild is a Go child of a Node parent: it echoes every message, reports
// its NODE_CHANNEL_ variables on "env", answers "internal" with an internal
// message then "after-internal", serves HTTP on the handles it is sent, and
// keeps the sockets sent with "hold" open until "release-one" or "release".
func echoChild() int {
	c, err := nodeipc.FromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo child:", err)
		return 1
	}
	defer c.Close()
	var wg sync.WaitGroup
	var servers []*http.Server
	var held []net.Conn // sockets kept open until "release"
	defer func() {
		for _, conn := range held {
			conn.Close()
		}
		for _, s := range servers {
			s.Close()
		}
		wg.Wait()
	}()
	for {
		m, err := c.Recv(context.Background())
		if err == io.EOF {
			return 0
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "echo child:", err)
			return 1
		}
		if m.Handle != nil && m.Value == "hold" {
			conn, err := m.Handle.Conn()
			if err == nil {
				held = append(held, conn)
				err = c.Send(jsvalue.NewObject("held", len(held)))
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, "echo child:", err)
				return 1
			}
			continue
		}
		if m.Handle != nil {
			s, err := serveHandle(m, &wg)
			if err != nil {
				fmt.Fprintln(os.Stderr, "echo child:", err)
				return 1
			}
			if s != nil {
				servers = append(servers, s)
			}
			err = c.Send(jsvalue.NewObject("ready", m.Value, "type", m.Handle.Kind().NodeType()))
			if err != nil {
				fmt.Fprintln(os.Stderr, "echo child:", err)
				return 1
			}
			continue
		}
		switch m.Value {
		case "exit-now":
			return 0 // with whatever the parent still sends
		case "env":
			err = c.Send(jsvalue.NewObject("fd", os.Getenv("NODE_CHANNEL_FD"), "mode", os.Getenv("NODE_CHANNEL_SERIALIZATION_MODE")))
		case "release-one":
			held[0].Close()
			held = held[1:]
			err = c.Send("released-one")
		case "release":
			err = c.Send("releasing")
			for _, conn := range held {
				conn.Close()
			}
			held = nil
		case "internal":
			err = c.Send(jsvalue.NewObject("cmd", "NODE_TEST_INTERNAL"))
			if err == nil {
				err = c.Send("after-internal")
			}
		default:
			err = c.Send(m.Value)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "echo child:", err)
			return 1
		}
	}
}

// serveHandle serves HTTP on a received listener (every connection answered
// "go:<msg>") or on one received connection ("go-socket:<msg>").
func serveHandle(m nodeipc.Message, wg *sync.WaitGroup) (*http.Server, error) {
	name, _ := m.Value.(string)
	switch k := m.Handle.Kind(); {
	case k.IsListener():
		l, err := m.Handle.Listener()
		if err != nil {
			return nil, err
		}
		s := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			io.WriteString(w, "go:"+name)
		})}
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Serve(l)
		}()
		return s, nil
	case k.IsConn():
		conn, err := m.Handle.Conn()
		if err != nil {
			return nil, err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer conn.Close()
			serveOne(conn, "go-socket:"+name)
		}()
		return nil, nil
	case k == nodeipc.KindUDP:
		pc, err := m.Handle.PacketConn()
		if err != nil {
			return nil, err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer pc.Close()
			echoDatagram(pc, "go-udp:"+name+":")
		}()
		return nil, nil
	}
	m.Handle.Close()
	return nil, errors.New("unexpected handle kind " + m.Handle.Kind().String())
}

// serveOne answers one HTTP request on conn with body, using net/http's
// request parser and response writer.
func serveOne(conn net.Conn, body string) {
	req, err := http.ReadRequest(bufio.NewReader(conn))
	if err != nil {
		return
	}
	resp := &http.Response{
		StatusCode:    http.StatusOK,
		ProtoMajor:    1,
		ProtoMinor:    1,
		Request:       req,
		Close:         true,
		ContentLength: int64(len(body)),
		Body:          io.NopCloser(strings.NewReader(body)),
		Header:        http.Header{"Content-Type": {"text/plain"}},
	}
	resp.Write(conn)
}

// echoDatagram answers one datagram on pc with prefix and the datagram,
// within 20 s.
func echoDatagram(pc net.PacketConn, prefix string) {
	pc.SetDeadline(time.Now().Add(20 * time.Second))
	buf := make([]byte, 2048)
	n, addr, err := pc.ReadFrom(buf)
	if err != nil {
		return
	}
	pc.WriteTo([]byte(prefix+string(buf[:n])), addr)
}
