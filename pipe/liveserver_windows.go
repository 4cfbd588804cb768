package pipe

import (
	"errors"
	"os"
	"syscall"

	"golang.org/x/sys/windows"
)

// refuseLiveServer is Listen's no-takeover rule on Windows: it opens the
// named pipe name as a client would, before the server binds it, and
// fails with EADDRINUSE (errors.Is(err, syscall.EADDRINUSE)) when a server
// answers — an instance was free and opened (the probe's connection is
// closed at once; the live server sees a client that sent nothing), or
// every instance is busy (ERROR_PIPE_BUSY), or the pipe exists and refuses
// this user (ERROR_ACCESS_DENIED). A name that does not exist is free.
//
// libuv's bind alone does not suffice everywhere: it creates the first
// instance with FILE_FLAG_FIRST_PIPE_INSTANCE, which Windows refuses on a
// live name (EADDRINUSE), but Wine ignores that flag and lets a second
// server create instances beside the first. Two servers that start at the
// same instant can both pass the probe; on Windows the flag still stops
// the second.
func refuseLiveServer(name string) error {
	if !liveServer(name) {
		return nil
	}
	return os.NewSyscallError("bind", syscall.EADDRINUSE)
}

// liveServer reports whether a server holds the named pipe name.
func liveServer(name string) bool {
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return false
	}
	h, err := windows.CreateFile(p, windows.GENERIC_READ|windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err == nil {
		windows.CloseHandle(h)
		return true
	}
	return errors.Is(err, windows.ERROR_PIPE_BUSY) || errors.Is(err, windows.ERROR_ACCESS_DENIED)
}
