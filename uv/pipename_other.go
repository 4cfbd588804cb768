//go:build !linux && !windows && cgo

package uv

import "syscall"

// abstractName reports whether path names an abstract socket: only Linux
// has them.
func abstractName(path string) bool { return false }

func abstractSocket(path string, connect bool) (int, error) { return -1, syscall.EINVAL }
