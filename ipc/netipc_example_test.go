package ipc_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/uvpipe/uvpipe/ipc"
)

func ExampleListenServer() {
	dir, _ := os.MkdirTemp("", "nipc")
	defer os.RemoveAll(dir)
	s, err := ipc.ListenServer(ipc.ServerOptions{
		Path: filepath.Join(dir, "s"),
		OnRequest: []func(*ipc.ServerConn, json.RawMessage, func(any) error) bool{
			func(c *ipc.ServerConn, req json.RawMessage, reply func(any) error) bool {
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
	c, err := ipc.Connect(ctx, ipc.ClientOptions{Path: filepath.Join(dir, "s")})
	if err != nil {
		fmt.Println(err)
		return
	}
	resp, err := c.Request(ctx, "go")
	fmt.Println(string(resp), err)
	c.Close(ctx, "bye")
	// Output: "hello GO" <nil>
}
