package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/uvpipe/uvpipe/ipc/netipc"
)

func init() {
	commands["serve"] = command{summary: "run a net-ipc/@isdk-compatible broker: publish/subscribe, ping, echoed requests", run: runServe}
}

// defaultServeMaxConnections is serve's -max-connections.
const defaultServeMaxConnections = 4096

// runServe is `uvpipe serve [PATH]`.
func runServe(args []string) error {
	f := newFlags("serve", "[PATH]", 0, 1, describe(`Run a broker on the unix socket PATH (by default
`+netipc.DefaultServerPath()+`, where a net-ipc or @isdk/ipc-server client with no
path looks) that speaks their wire: it answers ping; relays @isdk's
publish/subscribe (a client subscribes to topics, and what any client publishes
to a topic is delivered to its subscribers); answers every other request with
the request's own data (an echo); and logs on stderr, one line each, when it
listens, each connection (its id and pid) and disconnection (with the reason
the client gave), each message a client sends, and each bad packet. SIGINT or
SIGTERM closes it gracefully: every client is sent END ("Server was shut
down"), those that have not closed within 2 s are closed, and the socket
file is removed; it then exits 128+n (130 for SIGINT, 143 for SIGTERM), as
every uvpipe command a signal ends, whatever its clients do. Strings a client
chose (ids, messages, reasons) are logged with control characters escaped.
A live server's socket is never taken over: a second serve on its path fails
(EADDRINUSE); a socket file nobody listens on is replaced. The socket file is
0600 (0660 with -group). Limits, per client: more than -max-connections
connections are refused with END ("netipc: too many connections"); a client
that leaves more than 8 MiB unread, or bytes unread for 5 s, is dropped as a
slow consumer (END "slow consumer: ...", logged); one that begins a packet and
does not finish it within 10 s is closed; packets above 16 MiB close the
connection; a request too deeply nested to decode is answered with
{"error": ...}. The client side is 'uvpipe send|request|publish|subscribe
PATH'.`))
	reconnect := f.Bool("allow-reconnect", false, "tell clients in END, when closing, that they may reconnect")
	maxConns := f.Int("max-connections", defaultServeMaxConnections, "refuse clients beyond this many connections (0: no limit)")
	group := f.Bool("group", false, "make the socket file 0660, so its group may connect too (default 0600)")
	operands, err := f.parse(args)
	if err != nil {
		return err
	}
	path := netipc.DefaultServerPath()
	if len(operands) == 1 {
		path = operands[0]
	}
	if *maxConns < 0 {
		return usageErrorf("serve: -max-connections must not be negative")
	}
	mode := netipc.DefaultSocketMode
	if *group {
		mode = netipc.GroupSocketMode
	}
	logf := func(format string, args ...any) { fmt.Fprintf(os.Stderr, "uvpipe serve: "+format+"\n", args...) }
	// Signals are caught before "listening" is logged: a supervisor that
	// signals as soon as it reads that line finds them handled.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	srv, err := netipc.Listen(netipc.ServerOptions{
		Path:           path,
		Mode:           mode,
		MaxConnections: *maxConns,
		OnConnect: func(c *netipc.ServerConn, extras json.RawMessage) error {
			pid := "?"
			if cred, err := c.PeerCred(); err == nil {
				pid = fmt.Sprint(cred.PID)
			}
			if len(extras) > 0 && string(extras) != "null" {
				logf("connected %s (pid %s, extras %s)", untrusted(c.ID()), pid, untrusted(string(extras)))
			} else {
				logf("connected %s (pid %s)", untrusted(c.ID()), pid)
			}
			return nil
		},
		OnMessage: func(c *netipc.ServerConn, data json.RawMessage) {
			logf("message from %s: %s", untrusted(c.ID()), untrusted(string(data)))
		},
		OnRequest: []func(*netipc.ServerConn, json.RawMessage, func(any) error) bool{
			func(_ *netipc.ServerConn, req json.RawMessage, reply func(any) error) bool {
				reply(req)
				return true
			},
		},
		OnDisconnect: func(c *netipc.ServerConn, reason string) {
			if reason == "" {
				logf("disconnected %s", untrusted(c.ID()))
			} else {
				logf("disconnected %s (%q)", untrusted(c.ID()), reason)
			}
		},
		OnError: func(c *netipc.ServerConn, err error) {
			id := untrusted(c.ID())
			if id == "" {
				id = "a client not yet connected"
			}
			logf("error from %s: %s", id, untrusted(oneLine(err)))
		},
	})
	if err != nil {
		return fmt.Errorf("serve: %w", explainListen(path, err))
	}
	logf("listening on %s", untrusted(srv.Addr().String()))
	s := <-sig
	logf("%v: closing", s)
	srv.Shutdown(*reconnect)
	logf("closed")
	return interruptedBy(s)
}
