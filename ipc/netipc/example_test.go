package netipc_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/uvpipe/uvpipe/ipc/netipc"
)

func ExampleListen() {
	dir, _ := os.MkdirTemp("", "nipc")
	defer os.RemoveAll(dir)
	s, err := netipc.Listen(netipc.ServerOptions{
		Path: filepath.Join(dir, "s"),
		OnRequest: []func(*netipc.ServerConn, json.RawMessage, func(any) error) bool{
			func(c *netipc.ServerConn, req json.RawMessage, reply func(any) error) bool {
				var name string
				json.Unmarshal(req, &name)
				reply("hello " + strings.ToUpper(name))
				return true
			},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()

	ctx := context.Background()
	c, err := netipc.Dial(ctx, netipc.ClientOptions{Path: filepath.Join(dir, "s")})
	if err != nil {
		fmt.Println(err)
		return
	}
	resp, err := c.Request(ctx, "go")
	fmt.Println(string(resp), err)
	c.Close()
	// Output: "hello GO" <nil>
}

// A client of a net-ipc or @isdk/ipc-server server at the default path
// (DefaultServerPath, where the JavaScript client looks with no options):
// it subscribes to a topic and prints what is published there.
func ExampleDial() {
	ctx := context.Background()
	c, err := netipc.Dial(ctx, netipc.ClientOptions{
		OnPublish: func(topic string, msg json.RawMessage) { fmt.Println(topic, string(msg)) },
	})
	if err != nil {
		fmt.Println(err) // wraps netipc.ErrRetriesSpent and the last dial's error
		return
	}
	defer c.Close()
	if _, err := c.Subscribe(ctx, "news"); err != nil {
		fmt.Println(err)
		return
	}
	<-c.Done()
}
