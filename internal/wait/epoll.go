//go:build linux && !uvpipe_portable

package wait

// Epoll reports whether a Poller waits in epoll_wait on libuv's epoll fd
// itself: a wait then reports the one fd that is ready, and can hold. It is
// false where the Poller polls the backend fd with poll(2) (other systems,
// and Linux with the build tag uvpipe_portable).
const Epoll = true
