//go:build linux && !uvpipe_portable

package wait

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A leader that waits without parking in Go's netpoller (spinning, holding
// its P, or blocked in the kernel on libuv's fd) keeps the scheduler from
// polling the network: with one P, the process's other sockets are then
// served only at a breath or by the scheduler's monitor. So the leader
// watches Go's netpoller too: besides libuv's backend fd, its waits watch a
// duplicate of the runtime's own epoll fd, which is readable while the
// netpoller has events nobody has collected. When it is, the wait ends and
// the leader breathes at once (breathe), so the scheduler collects them and
// runs the goroutines they ready, as it would if the leader had parked.
//
// Watching costs each wait a nested epoll instance and a second look at
// libuv's fd, so a leader watches only while Go's netpoller is busy: once
// per Config.Breath it looks whether the netpoller has events nobody has
// collected (with one P, right before its timed breath would collect them),
// and if so it watches for netBusyWindow, renewed at every event it sees.
// A program whose other goroutines do no network I/O never pays for it.
//
// The runtime does not export its epoll fd; it is found once per process
// in /proc/self/fdinfo as the epoll instance that lists, by fd and inode, a
// file this package registered with the netpoller (the breath's pipe).
// Where it cannot be found, the leader relies on its timed breaths alone.

var runtimeEpoll struct {
	once sync.Once
	fd   int // a duplicate, kept for the life of the process; -1 if not found
}

// runtimeNetpollFD returns a duplicate of the Go runtime's netpoll epoll fd,
// or -1. probe is an fd registered with the netpoller.
func runtimeNetpollFD(probe int) int {
	runtimeEpoll.once.Do(func() {
		runtimeEpoll.fd = -1
		if fd, err := findEpollListing(probe); err == nil {
			if d, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0); err == nil {
				runtimeEpoll.fd = d
			}
		}
	})
	return runtimeEpoll.fd
}

// findEpollListing returns the fd of the epoll instance of this process
// that has target registered (by fd number and inode).
func findEpollListing(target int) (int, error) {
	var st unix.Stat_t
	if err := unix.Fstat(target, &st); err != nil {
		return -1, err
	}
	want := "ino:" + strconv.FormatUint(st.Ino, 16)
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1, err
	}
	for _, e := range ents {
		fd, err := strconv.Atoi(e.Name())
		if err != nil || fd == target {
			continue
		}
		if link, err := os.Readlink("/proc/self/fd/" + e.Name()); err != nil || link != "anon_inode:[eventpoll]" {
			continue
		}
		if lists(fd, target, want) {
			return fd, nil
		}
	}
	return -1, fmt.Errorf("wait: no epoll instance lists fd %d", target)
}

// lists reports whether the fdinfo of the epoll fd epfd has a line for
// target with the inode field want.
func lists(epfd, target int, want string) bool {
	f, err := os.Open("/proc/self/fdinfo/" + strconv.Itoa(epfd))
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 || fields[0] != "tfd:" || fields[1] != strconv.Itoa(target) {
			continue
		}
		for _, x := range fields[2:] {
			if x == want {
				return true
			}
		}
	}
	return false
}

// watchNetpoll makes the poller watch netfd (the runtime's netpoll fd, or a
// stand-in in tests) beside libuv's fd: both go into an epoll instance of
// the poller's own (wfd), tagged, so that one wait watches both. Without
// it, waits that watch both use ppoll.
func (p *Poller) watchNetpoll(netfd int) {
	p.netfd = netfd
	if p.wfd >= 0 {
		unix.Close(p.wfd)
		p.wfd = -1
	}
	wfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return
	}
	for tag, fd := range [2]int{p.fd, netfd} {
		ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(tag)}
		if unix.EpollCtl(wfd, unix.EPOLL_CTL_ADD, fd, &ev) != nil {
			unix.Close(wfd)
			return
		}
	}
	p.wfd = wfd
}

// lookBoth waits for libuv's fd or the runtime's netpoll fd (p.netfd >= 0)
// for up to ts (nil: no limit) and reports which is readable. raw makes it
// a raw system call, which the scheduler does not see: for waits that cannot
// block (a zero ts) or that hold the P. interrupted reports a signal.
func (p *Poller) lookBoth(ts *unix.Timespec, raw bool) (uv, net, interrupted bool) {
	if p.wfd >= 0 && !p.hold.noHold {
		var evs [2]unix.EpollEvent
		args := [6]uintptr{uintptr(p.wfd), uintptr(unsafe.Pointer(&evs[0])), 2, uintptr(unsafe.Pointer(ts)), 0, 0}
		var n uintptr
		var errno unix.Errno
		if raw {
			n, _, errno = unix.RawSyscall6(unix.SYS_EPOLL_PWAIT2, args[0], args[1], args[2], args[3], args[4], args[5])
		} else {
			n, _, errno = unix.Syscall6(unix.SYS_EPOLL_PWAIT2, args[0], args[1], args[2], args[3], args[4], args[5])
		}
		if errno == 0 {
			for _, ev := range evs[:n] {
				uv = uv || ev.Fd == 0
				net = net || ev.Fd == 1
			}
			return uv, net, false
		}
		if errno != unix.ENOSYS && errno != unix.EPERM {
			return false, false, true
		}
		p.hold.noHold = true // and ppoll from now on
	}
	fds := [2]unix.PollFd{{Fd: int32(p.fd), Events: unix.POLLIN}, {Fd: int32(p.netfd), Events: unix.POLLIN}}
	var errno unix.Errno
	if raw {
		_, _, errno = unix.RawSyscall6(unix.SYS_PPOLL, uintptr(unsafe.Pointer(&fds[0])), 2, uintptr(unsafe.Pointer(ts)), 0, 0, 0)
	} else {
		_, _, errno = unix.Syscall6(unix.SYS_PPOLL, uintptr(unsafe.Pointer(&fds[0])), 2, uintptr(unsafe.Pointer(ts)), 0, 0, 0)
	}
	if errno != 0 {
		return false, false, true
	}
	return fds[0].Revents != 0, fds[1].Revents != 0, false
}

// netStillReady reports whether Go's netpoller has events nobody has
// collected.
func (p *Poller) netStillReady() bool {
	var zero unix.Timespec
	fds := [1]unix.PollFd{{Fd: int32(p.netfd), Events: unix.POLLIN}}
	n, _, errno := unix.RawSyscall6(unix.SYS_PPOLL, uintptr(unsafe.Pointer(&fds[0])), 1, uintptr(unsafe.Pointer(&zero)), 0, 0, 0)
	return errno == 0 && n > 0
}
