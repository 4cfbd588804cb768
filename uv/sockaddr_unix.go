//go:build !windows

package uv

import "golang.org/x/sys/unix"

// The system's socket address layouts and families, for addr.go.
type (
	rawSockaddrInet4 = unix.RawSockaddrInet4
	rawSockaddrInet6 = unix.RawSockaddrInet6
)

const (
	afInet  = unix.AF_INET
	afInet6 = unix.AF_INET6
)
