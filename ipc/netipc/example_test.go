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
	defer s.Close(false)

	ctx := context.Background()
	c, err := netipc.Dial(ctx, netipc.ClientOptions{Path: filepath.Join(dir, "s")})
	if err != nil {
		fmt.Println(err)
		return
	}
	resp, err := c.Request(ctx, "go")
	fmt.Println(string(resp), err)
	c.Close(ctx, "bye")
	// Output: "hello GO" <nil>
}
