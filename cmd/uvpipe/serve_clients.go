package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/uvpipe/uvpipe/ipc/netipc"
)

func init() {
	commands["send"] = command{summary: "send a message to a net-ipc server ('uvpipe serve')", run: runSend}
	commands["request"] = command{summary: "send a request to a net-ipc server and print the response", run: runRequest}
	commands["publish"] = command{summary: "publish a message to a topic of an @isdk broker ('uvpipe serve')", run: runPublish}
	commands["subscribe"] = command{summary: "subscribe to topics of an @isdk broker and print each delivery", run: runSubscribe}
	commands["ping"] = command{summary: "ping a net-ipc server and print each round-trip time", run: runPing}
}

// clientAbout is what the help of every client command ends with.
const clientAbout = ` The server's unix socket is -s PATH, by default
the one 'uvpipe serve' and net-ipc's clients use when given none.`

// jsonAbout is what the help of a client command that takes a JSON argument
// says of it.
const jsonAbout = ` A JSON argument must be JSON: quote a string as
'"text"'.`

// netipcClient is a client command's connection: the server's path, and
// the bound on its waits.
type netipcClient struct {
	name    string
	path    *string
	timeout *time.Duration
}

// clientFlags adds the flags every client command has.
func clientFlags(f *flags) netipcClient {
	return netipcClient{
		name:    f.name,
		path:    f.String("s", netipc.DefaultServerPath(), "the server's unix socket"),
		timeout: f.Duration("t", raceScale*10*time.Second, "give up connecting, or waiting for an answer, after this long"),
	}
}

// connect connects to the server.
func (nc netipcClient) connect(opts netipc.ClientOptions) (*netipc.Client, error) {
	if *nc.timeout <= 0 {
		return nil, usageErrorf("%s: -t must be positive", nc.name)
	}
	if *nc.path == "" {
		return nil, usageErrorf("%s: -s must name a socket", nc.name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *nc.timeout)
	defer cancel()
	opts.Path = *nc.path
	c, err := netipc.Dial(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: connecting to %s: %w", nc.name, *nc.path, err)
	}
	return c, nil
}

// do connects, runs f with a context bounded by the timeout, and closes the
// connection gracefully.
func (nc netipcClient) do(f func(ctx context.Context, c *netipc.Client) error) error {
	c, err := nc.connect(netipc.ClientOptions{NoReconnect: true})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), *nc.timeout)
	defer cancel()
	err = f(ctx, c)
	if cerr := c.Shutdown(ctx, "uvpipe "+nc.name+" done"); err == nil && cerr != nil && !errors.Is(cerr, netipc.ErrConnClosed) {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", nc.name, err)
	}
	return nil
}

// oneShot parses the arguments of a client command whose last operand is
// JSON (what names it in errors), connects, and runs f with the other
// operands and that JSON.
func oneShot(f *flags, args []string, what string, run func(ctx context.Context, c *netipc.Client, operands []string, data json.RawMessage) error) error {
	nc := clientFlags(f)
	operands, err := f.parse(args)
	if err != nil {
		return err
	}
	data, err := jsonArg(f.name, what, operands[len(operands)-1])
	if err != nil {
		return err
	}
	return nc.do(func(ctx context.Context, c *netipc.Client) error { return run(ctx, c, operands, data) })
}

// jsonArg checks that an argument is JSON and returns it as is.
func jsonArg(cmd, what, s string) (json.RawMessage, error) {
	if !json.Valid([]byte(s)) {
		return nil, usageErrorf("%s: %s %q is not JSON (quote a string as '\"text\"')", cmd, what, s)
	}
	return json.RawMessage(s), nil
}

// runSend is `uvpipe send [-s PATH] JSON`.
func runSend(args []string) error {
	f := newFlags("send", "JSON", 1, 1, describe(`Connect to the net-ipc server, send JSON as one
message, and close the connection gracefully.`+clientAbout+jsonAbout))
	return oneShot(f, args, "the message", func(_ context.Context, c *netipc.Client, _ []string, msg json.RawMessage) error {
		return c.Send(msg)
	})
}

// runRequest is `uvpipe request [-s PATH] JSON`.
func runRequest(args []string) error {
	f := newFlags("request", "JSON", 1, 1, describe(`Connect to the net-ipc server, send JSON as a request,
and print the response's data as one JSON line (null when the server
answered without data). 'uvpipe serve' answers with the request
itself.`+clientAbout+jsonAbout))
	return oneShot(f, args, "the request", func(ctx context.Context, c *netipc.Client, _ []string, req json.RawMessage) error {
		resp, err := c.Request(ctx, req)
		if err != nil {
			return err
		}
		if len(resp) == 0 {
			resp = json.RawMessage("null")
		}
		fmt.Printf("%s\n", resp)
		return nil
	})
}

// runPublish is `uvpipe publish [-s PATH] TOPIC JSON`.
func runPublish(args []string) error {
	f := newFlags("publish", "TOPIC JSON", 2, 2, describe(`Connect to the @isdk broker ('uvpipe serve', or an
@isdk/ipc-server), publish JSON to TOPIC, and return once the broker has
delivered it to the topic's subscribers.`+clientAbout+jsonAbout))
	return oneShot(f, args, "the message", func(ctx context.Context, c *netipc.Client, operands []string, msg json.RawMessage) error {
		return c.Publish(ctx, operands[0], msg)
	})
}

// runPing is `uvpipe ping [-s PATH]`.
func runPing(args []string) error {
	f := newFlags("ping", "", 0, 0, describe(`Connect to the net-ipc server, send it PING packets
one after the other, and print each round-trip time as a line "pong from
PATH: TIME" (a Go duration); then close the connection gracefully.`+clientAbout))
	nc := clientFlags(f)
	count := f.Int("c", 3, "how many pings")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *count < 1 {
		return usageErrorf("ping: -c must be at least 1")
	}
	return nc.do(func(ctx context.Context, c *netipc.Client) error {
		for i := 0; i < *count; i++ {
			rtt, err := c.Ping(ctx)
			if err != nil {
				return err
			}
			fmt.Printf("pong from %s: %v\n", *nc.path, rtt.Round(time.Microsecond))
		}
		return nil
	})
}
