//go:build !linux || uvpipe_portable

package wait

// Epoll reports whether a Poller waits in epoll_wait on libuv's epoll fd
// itself (see epoll.go): not here.
const Epoll = false
