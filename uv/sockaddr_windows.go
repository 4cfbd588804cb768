package uv

import "golang.org/x/sys/windows"

// Winsock's socket address layouts and families, for addr.go.
type (
	rawSockaddrInet4 = windows.RawSockaddrInet4
	rawSockaddrInet6 = windows.RawSockaddrInet6
)

const (
	afInet  = windows.AF_INET
	afInet6 = windows.AF_INET6
)
