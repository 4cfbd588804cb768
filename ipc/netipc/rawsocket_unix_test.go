//go:build !windows

package netipc_test

import "net"

// listenRaw listens on path with Go's own unix socket, not uvpipe's.
func listenRaw(path string) (net.Listener, error) { return net.Listen("unix", path) }

// dialRawConn dials path with Go's own unix socket, not uvpipe's.
func dialRawConn(path string) (net.Conn, error) { return net.Dial("unix", path) }

// peerPath is path as a JavaScript net-ipc peer is given it and reports it.
func peerPath(path string) string { return path }
