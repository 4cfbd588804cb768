package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc"
)

// subscriber is `uvpipe subscribe`'s state: what it has printed, and what
// it says of its connection.
type subscriber struct {
	topics   []string
	count    int           // stop after this many deliveries; 0: never
	printed  int           // deliveries printed, on the client's goroutine
	got      chan struct{} // receives once count deliveries are printed
	dropped  bool          // the connection dropped, and has not come back yet
	wasReady bool          // the client has been ready once
	closing  atomic.Bool   // this side is closing: a drop now is its own
}

// runSubscribe is `uvpipe subscribe [-s PATH] TOPIC...`.
func runSubscribe(args []string) error {
	f := newFlags("subscribe", "TOPIC...", 1, 1<<20, describe(`Connect to the @isdk broker, subscribe to each TOPIC, say so on stderr, and print each message published to them as a
JSON line {"topic":...,"message":...}, until interrupted (SIGINT or SIGTERM:
it closes gracefully and exits 128+n, 130 for SIGINT) or, with -n, until N
have arrived (it exits 0). If the
server goes away meanwhile, it says so in one line on stderr and exits 1;
with --reconnect it says so and reconnects as net-ipc's client does (asking
for the same id, backing off from 100 ms up to 1 s, for about as long as
--retry-for, by default -t),
subscribes again and says so; what is published while it is away is lost.`+clientAbout))
	nc := clientFlags(f)
	count := f.Int("n", 0, "exit after this many messages (0: until interrupted)")
	reconnect := f.Bool("reconnect", false, "when the server goes away, connect and subscribe again")
	retryFor := f.Duration("retry-for", 0, "with --reconnect, how long to keep trying (0: as long as -t)")
	operands, err := f.parse(args)
	if err != nil {
		return err
	}
	if *count < 0 {
		return usageErrorf("subscribe: -n must not be negative")
	}
	s := &subscriber{topics: operands, count: *count, got: make(chan struct{}, 1)}
	opts := netipc.ClientOptions{OnPublish: s.print, NoReconnect: !*reconnect}
	if *reconnect {
		opts.OnStatus = s.status
		opts.RetryIncrement, opts.MaxRetryDelay = 100*time.Millisecond, time.Second
		if *retryFor <= 0 {
			*retryFor = *nc.timeout
		}
		opts.Retries = retriesFor(*retryFor, opts.RetryIncrement, opts.MaxRetryDelay)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	c, err := nc.connect(opts)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), *nc.timeout)
	defer cancel()
	if _, err := c.Subscribe(ctx, s.topics...); err != nil {
		c.Destroy()
		return fmt.Errorf("subscribe: %w", err)
	}
	s.say("subscribed to " + strings.Join(s.topics, ", "))
	select {
	case <-c.Done():
		why := "the server closed the connection " + endReason(c)
		if *reconnect {
			why += ", and reconnecting failed"
		}
		return fmt.Errorf("subscribe: %s", why)
	case <-s.got:
	case got := <-sig:
		err = interruptedBy(got)
	}
	s.closing.Store(true)
	closeCtx, cancelClose := context.WithTimeout(context.Background(), *nc.timeout)
	defer cancelClose()
	c.Shutdown(closeCtx, "uvpipe subscribe done")
	return err
}

// endReason says why the server ended c.
func endReason(c *netipc.Client) string {
	if reason, _ := c.EndReason(); reason != "" {
		return fmt.Sprintf("(%q)", reason)
	}
	return "without a reason"
}

// retriesFor is how many attempts net-ipc's back-off (min(step × attempt,
// ceiling) before each) makes in about d.
func retriesFor(d, step, ceiling time.Duration) int {
	n := 0
	for waited := time.Duration(0); waited < d; waited += min(step*time.Duration(n), ceiling) {
		n++
	}
	return max(n, 1)
}

// say writes a line about the subscription on stderr.
func (s *subscriber) say(what string) { fmt.Fprintf(os.Stderr, "uvpipe subscribe: %s\n", what) }

// status reports the client's reconnections on stderr: when the connection
// drops, and when it is back (the client has subscribed again by then).
func (s *subscriber) status(st netipc.ClientStatus) {
	switch {
	case st == netipc.ClientDisconnected && !s.dropped && !s.closing.Load():
		s.dropped = true
		if s.wasReady {
			s.say("the connection dropped; reconnecting")
		} else {
			// Connect retries a first connection that fails, as net-ipc does.
			s.say("cannot connect yet; retrying")
		}
	case st == netipc.ClientReady:
		if s.dropped {
			s.dropped = false
			if s.wasReady {
				s.say("reconnected, subscribed again to " + strings.Join(s.topics, ", "))
			} else {
				s.say("connected")
			}
		}
		s.wasReady = true
	}
}

// print prints one delivery, unless count of them have been already.
func (s *subscriber) print(topic string, message json.RawMessage) {
	if s.count > 0 && s.printed == s.count {
		return // arrived while closing
	}
	line, _ := json.Marshal(struct {
		Topic   string          `json:"topic"`
		Message json.RawMessage `json:"message"`
	}{topic, message})
	fmt.Printf("%s\n", line)
	s.printed++
	if s.printed == s.count {
		s.got <- struct{}{}
	}
}
