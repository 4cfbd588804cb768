package netipc_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc"
	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
)

// rawClientLoad is clientLoad with the leanest client that speaks net-ipc:
// Go's own unix socket, the wire package's framing and nothing else (no
// reconnect, no inbox, no loop). It is the same for every server, so what
// it costs weighs on every server's rate alike, and on a machine with few
// CPUs the servers' own costs decide the comparison rather than their
// clients'.
func rawClientLoad(path string, conns, n int) (loadResult, error) {
	socks := make([]*loadClient, conns)
	for i := range socks {
		c, err := dialLoadClient(path)
		if err != nil {
			return loadResult{}, err
		}
		defer c.conn.Close()
		socks[i] = c
	}
	lat, elapsed, err := runClients(conns, n, func(i, per int) ([]time.Duration, error) {
		return socks[i].requests(per)
	})
	if err != nil {
		return loadResult{}, err
	}
	if got := len(slices.Concat(lat...)); got != n {
		return loadResult{}, fmt.Errorf("%d answers to %d requests", got, n)
	}
	return summarize(lat, elapsed), nil
}

// loadClient is one connection of rawClientLoad.
type loadClient struct {
	conn net.Conn
	pr   *wire.PacketReader
	out  []byte
}

// dialLoadClient connects, writes the preamble and CONNECTION, and reads the
// server's CONNECTION.
func dialLoadClient(path string) (*loadClient, error) {
	conn, err := dialRawConn(path)
	if err != nil {
		return nil, err
	}
	c := &loadClient{conn: conn, pr: wire.NewPacketReader(bufio.NewReader(conn), wire.DefaultMaxPacketSize)}
	hello, err := wire.AppendPacket([]byte(wire.Preamble), wire.Packet{Type: wire.PacketConnection, Data: json.RawMessage(`{}`)})
	if err == nil {
		_, err = conn.Write(hello)
	}
	var reply wire.Packet
	if err == nil {
		reply, err = c.pr.ReadPacket()
	}
	if err == nil && reply.Type != wire.PacketConnection {
		err = fmt.Errorf("the server answered CONNECTION with a packet of type %d", reply.Type)
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	return c, nil
}

// requests makes n requests one after the other, each answered before the
// next, and returns their latencies. A request's data is its number j and
// its nonce "r<j>"; the echo server must answer with both.
func (c *loadClient) requests(n int) ([]time.Duration, error) {
	lat := make([]time.Duration, 0, n)
	for j := range n {
		nonce := "r" + strconv.Itoa(j)
		data := strconv.AppendInt(nil, int64(j), 10)
		t := time.Now()
		var err error
		if c.out, err = wire.AppendPacket(c.out[:0], wire.Packet{Type: wire.PacketRequest, Data: data, Nonce: nonce}); err != nil {
			return nil, err
		}
		if _, err := c.conn.Write(c.out); err != nil {
			return nil, err
		}
		for {
			p, err := c.pr.ReadPacket()
			if err != nil {
				return nil, fmt.Errorf("request %d: %w", j, err)
			}
			if p.Type != wire.PacketResponse {
				continue // a ping or a message: not this request's answer
			}
			if p.Nonce != nonce || string(p.Data) != string(data) {
				return nil, fmt.Errorf("request %d (%s): answered %s with nonce %q", j, data, p.Data, p.Nonce)
			}
			break
		}
		lat = append(lat, time.Since(t))
	}
	return lat, nil
}

// childRawLoad runs rawClientLoad in a re-executed test binary (the child
// "netipc-rawload") and reads its result.
func childRawLoad(b *testing.B, path string, conns, n int) loadResult {
	return runLoadChild(b, "netipc-rawload", path, conns, n)
}

func init() {
	children["netipc-rawload"] = func() int {
		var path string
		var conns, n int
		if _, err := fmt.Sscan(os.Getenv("UVPIPE_LOAD"), &path, &conns, &n); err != nil {
			fmt.Fprintln(os.Stderr, "netipc-rawload: UVPIPE_LOAD:", err)
			return 2
		}
		r, err := rawClientLoad(path, conns, n)
		if err != nil {
			fmt.Fprintln(os.Stderr, "netipc-rawload:", err)
			return 1
		}
		json.NewEncoder(os.Stdout).Encode(r)
		return 0
	}
}

// TestRawLoadClientGetsEveryAnswer runs the benchmarks' raw load client
// against the Go echo server: every request answered with its own data and
// nonce, on every connection.
func TestRawLoadClientGetsEveryAnswer(t *testing.T) {
	path := sockPath(t)
	s := echoServerWith(t, netipc.ServerOptions{Path: path, HandleOnLoop: true})
	defer s.Shutdown(false)
	r, err := rawClientLoad(path, 4, 203)
	if err != nil {
		t.Fatal(err)
	}
	if r.RPS <= 0 || r.P99 < r.P50 {
		t.Fatalf("result %+v", r)
	}
}
