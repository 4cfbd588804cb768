// shim.c — libuv's callbacks for package uv. Each one crosses into Go once
// through an exported trampoline (callbacks.go); none of them blocks.
#include <string.h>
#include <errno.h>
#ifndef _WIN32
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <unistd.h>
#endif
#ifdef __linux__
#include <poll.h>
#include <sys/epoll.h>
#endif
#include "shim.h"
#ifdef _WIN32
#include <mstcpip.h>  // after uv.h, which brings winsock2.h
#include <io.h>
#include <fcntl.h>
#endif
#include "private.h"
#include "_cgo_export.h"

int uvp_private_on = UVP_PRIVATE;

int uvp_private_compiled(void) { return UVP_PRIVATE; }

// uvp_set_private turns the private fast paths on or off, where they are
// compiled; it returns whether they are on.
int uvp_set_private(int on) {
	uvp_private_on = UVP_PRIVATE && on;
	return uvp_private_on;
}

// The loop whose callbacks this thread is running, if any: lets a handler that
// calls back into package uv be recognised as running under the loop lock.
static __thread uv_loop_t *uvp_tls_loop;

uv_loop_t *uvp_current_loop(void) { return uvp_tls_loop; }

// uvp_enter makes loop this thread's current loop and returns the one it
// replaces (NULL for none), which the matching uvp_leave restores: a loop
// entered inside another's callback gives the thread back to that one.
uv_loop_t *uvp_enter(uv_loop_t *loop) {
	uv_loop_t *prev = uvp_tls_loop;
	uvp_tls_loop = loop;
	return prev;
}
void uvp_leave(uv_loop_t *prev) { uvp_tls_loop = prev; }

// uvp_run_once is a pass that waits for libuv's backend first: the
// leader's wait on Windows (backend_windows.go).
int uvp_run_once(uv_loop_t *loop) {
	uv_loop_t *prev = uvp_tls_loop;
	uvp_tls_loop = loop;
	int r = uv_run(loop, UV_RUN_ONCE);
	uvp_tls_loop = prev;
	return r;
}

int uvp_run_nowait(uv_loop_t *loop) {
	uv_loop_t *prev = uvp_tls_loop;
	uvp_tls_loop = loop;
	int r = uv_run(loop, UV_RUN_NOWAIT);
	uvp_tls_loop = prev;
	return r;
}

// uvp_needs_pass reports whether libuv has work that waiting on its backend
// fd would not reveal: fds whose watching must still be registered with
// epoll, pending callbacks, closing handles, timers already due.
// The public API cannot tell whether a watcher waits to be registered (libuv
// does that at the start of its poll phase), so on the public path the
// answer is always yes: every step runs a pass. The private path looks at
// the loop's watcher queue, and reads the clock only when a timer is set
// (uvp_timer_start brings it up to date before it sets one).
static int uvp_needs_pass(uv_loop_t *loop) {
#if UVP_PRIVATE
	if (uvp_private_on) {
		if (!UVP_QUEUE_EMPTY(loop->watcher_queue)) return 1;
		if (loop->timer_heap.min != NULL) uv_update_time(loop);
		return uv_backend_timeout(loop) == 0;
	}
#endif
	(void)loop;
	return 1;
}

// uvp_dispatch stands for a pass of the loop when the leader's own wait on the
// backend fd reported exactly one event, (fd, events), and libuv has nothing
// else to do: no timer due, no pending or idle work, no closing handles, no
// watcher to register, no prepare or check handle. Such a pass would run
// libuv's epoll_wait(0), see that same event (the fds are level-triggered)
// and call its watcher; this calls the watcher with the events libuv would
// give it, sparing the syscall. Returns 0 (nothing done) whenever the event
// is not one libuv would simply hand to a watcher: the caller then runs a
// real pass. The callback may leave work for a pass (a handle it closed, a
// uv_stop): the caller checks again with uvp_needs_pass.
// Private: it reads the loop's watcher table and the watcher's events, so it
// is compiled only under UVP_PRIVATE (and for epoll); elsewhere every event
// is left to a pass.
static int uvp_dispatch(uv_loop_t *loop, int fd, unsigned events) {
#if defined(__linux__) && UVP_PRIVATE && !defined(UVPIPE_PORTABLE_POLLER)
	if (!uvp_private_on) return 0;
	if (fd < 0 || (unsigned)fd >= loop->nwatchers) return 0;
	if (!UVP_QUEUE_EMPTY(loop->prepare_handles) || !UVP_QUEUE_EMPTY(loop->check_handles)) return 0;
	if (uvp_needs_pass(loop)) return 0;  // brings the loop's clock up to date too, when a timer is set
	uv__io_t *w = loop->watchers[fd];
	// An fd no longer watched is taken out of the epoll set by a pass; a
	// signal watcher is run by libuv after the others: leave both to it.
	if (w == NULL || w == &loop->signal_io_watcher) return 0;
	// Only what the watcher asked for, and errors and hangups; an error or
	// hangup alone comes with what the watcher waits for, so that its read
	// or write meets it (libuv does the same, for epoll's sake).
	unsigned wanted = w->pevents & (POLLIN | POLLOUT | POLLPRI | EPOLLRDHUP);
	events &= w->pevents | POLLERR | POLLHUP;
	if (events == POLLERR || events == POLLHUP) events |= wanted;
	if (events == 0) return 0;
	uv_loop_t *prev = uvp_tls_loop;
	uvp_tls_loop = loop;
	w->cb(loop, w, events);
	uvp_tls_loop = prev;
	return 1;
#else
	(void)loop, (void)fd, (void)events;
	return 0;
#endif
}

// uvp_dispatching reports whether uvp_dispatch can dispatch at all.
int uvp_dispatching(void) {
#if defined(__linux__) && UVP_PRIVATE && !defined(UVPIPE_PORTABLE_POLLER)
	return uvp_private_on;
#else
	return 0;
#endif
}

// uvp_step is one step of a leader, in one crossing: a pass of the loop
// (always, or on the first step only when uvp_needs_pass), then the time in
// ms until libuv's next timer (-1 for none, 0 for work already waiting).
// After a wait that reported one event (fd >= 0), the step dispatches it
// when uvp_dispatch can, and then passes only if uvp_needs_pass. The result
// packs both, so that Go passes no pointer (which would escape to its heap):
// bit 0 set when a pass ran, bit 1 when the event was dispatched, and the
// timeout plus one above them, capped at UVP_STEP_MAX_TIMEOUT.
int uvp_step(uv_loop_t *loop, int first, int fd, unsigned events) {
	int ran = 0;
	if (!first && uvp_dispatch(loop, fd, events)) {
		ran = 2;
		first = 1;
	}
	if (!first || uvp_needs_pass(loop)) {
		uvp_run_nowait(loop);
		ran |= 1;
	}
	int timeout = uv_backend_timeout(loop);
	if (timeout > UVP_STEP_MAX_TIMEOUT) timeout = UVP_STEP_MAX_TIMEOUT;
	return ((timeout + 1) << 2) | ran;
}

uvp_handle *uvp_handle_new(void *key, size_t cbuf_len) {
	uvp_handle *h = calloc(1, sizeof *h);
	if (h == NULL) return NULL;
	h->u.handle.data = key;
	h->cbuf_len = cbuf_len;
	return h;
}

static void uvp_close_cb(uv_handle_t *handle) {
	uvp_handle *h = (uvp_handle *)handle;
	goHandleClosed(handle->data);
	free(h->cbuf);
	free(h);
}

// uvp_snap_close notes, as a stream starts to close, the bytes its write
// requests have still to write (libuv cancels them all): the public path
// of uvp_write_cb shares them out among the cancelled requests.
static void uvp_snap_close(uvp_handle *h) {
	uv_handle_type t = h->u.handle.type;
	if (t != UV_TCP && t != UV_NAMED_PIPE) return;
	h->close_unsent = uv_stream_get_write_queue_size(&h->u.stream);
	h->close_snap = 1;
}

void uvp_close(uvp_handle *h) {
	if (!uv_is_closing(&h->u.handle)) {
		uvp_snap_close(h);
		uv_close(&h->u.handle, uvp_close_cb);
	}
}

typedef struct { uv_handle_t *except; int n; } uvp_walk_arg;

// Referenced active handles, and the requests of every handle (each counted
// by the shim from its start to its callback).
static void uvp_refs_cb(uv_handle_t *handle, void *arg) {
	uvp_walk_arg *a = arg;
	if (handle == a->except) return;
	if (uv_is_active(handle) && uv_has_ref(handle)) a->n++;
	a->n += ((uvp_handle *)handle)->reqs;
}

// Referenced active handles and requests, less the loop's own async handle.
// The private path reads libuv's own counters; the public one walks the
// handles.
int uvp_loop_refs(uv_loop_t *loop, uv_handle_t *except) {
#if UVP_PRIVATE
	if (uvp_private_on) {
		int n = (int)loop->active_handles + (int)loop->active_reqs.count;
		return n > 0 ? n - 1 : 0;
	}
#endif
	uvp_walk_arg a = { except, 0 };
	uv_walk(loop, uvp_refs_cb, &a);
	return a.n;
}

static void uvp_count_cb(uv_handle_t *handle, void *arg) {
	uvp_walk_arg *a = arg;
	if (handle != a->except && !uv_is_closing(handle)) a->n++;
}

int uvp_handle_count(uv_loop_t *loop, uv_handle_t *except) {
	uvp_walk_arg a = { except, 0 };
	uv_walk(loop, uvp_count_cb, &a);
	return a.n;
}

static void uvp_close_walk_cb(uv_handle_t *handle, void *arg) {
	if (handle != arg && !uv_is_closing(handle)) {
		uvp_snap_close((uvp_handle *)handle);
		uv_close(handle, uvp_close_cb);
	}
}

void uvp_close_all(uv_loop_t *loop, uv_handle_t *except) { uv_walk(loop, uvp_close_walk_cb, except); }

// uvp_dup_cloexec duplicates fd (close-on-exec): the fd, or a negative libuv error.
// On Windows fd is a SOCKET (fd_windows.go: handle values fit in an int) and
// the duplicate is a new socket of this process made from its
// WSADuplicateSocketW protocol info, not inheritable; any other HANDLE is
// UV_ENOTSUP there.
#ifdef _WIN32
static int uvp_dup_cloexec(int fd) {
	SOCKET s = (SOCKET)(uintptr_t)(unsigned int)fd;
	WSAPROTOCOL_INFOW info;
	if (WSADuplicateSocketW(s, GetCurrentProcessId(), &info) != 0) {
		int e = WSAGetLastError();
		return e == WSAENOTSOCK ? UV_ENOTSUP : uv_translate_sys_error(e);
	}
	SOCKET d = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
	if (d == INVALID_SOCKET) return uv_translate_sys_error(WSAGetLastError());
	SetHandleInformation((HANDLE)d, HANDLE_FLAG_INHERIT, 0);
	return (int)(unsigned int)(uintptr_t)d;
}
#else
static int uvp_dup_cloexec(int fd) {
	int d = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	return d < 0 ? -errno : d;
}
#endif

int uvp_dup_fd(int fd) { return uvp_dup_cloexec(fd); }

#ifdef _WIN32
// uvp_dup_pipe duplicates a pipe's HANDLE (not inheritable) into a new C
// runtime fd, which is what uv_pipe_open takes on Windows: the fd, or a
// negative libuv error. The duplicate names the same pipe instance, still
// associated with the I/O completion port of the loop the HANDLE came from
// (an association is made once per pipe and never undone), so the loop that
// opens it finds it cannot associate it and uses libuv's emulated mode:
// each read and write waits on an event of its own, which a thread pool wait
// posts to that loop's port.
static int uvp_dup_pipe(HANDLE h) {
	HANDLE d;
	if (!DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &d, 0, FALSE, DUPLICATE_SAME_ACCESS))
		return uv_translate_sys_error(GetLastError());
	int fd = _open_osfhandle((intptr_t)d, _O_BINARY);
	if (fd < 0) {
		CloseHandle(d);
		return UV_EMFILE;
	}
	return fd;
}
#endif

// uvp_accept_fd accepts the next connection or pending handle of a stream
// (a listener, or an IPC pipe) as a bare fd: through uv_accept into a
// scratch pipe handle (which takes any fd, of any type, as it is), so that
// libuv's queue advances exactly as uv_accept does; the scratch handle is
// freed by its close callback. The public path duplicates the handle's fd
// before closing it (a dup, and the close's epoll_ctl and close, more per
// handle); the private path takes the fd out of the handle.
static int uvp_accept_fd(uv_stream_t *server, int *fd) {
	uvp_handle *s = uvp_handle_new(NULL, 0);
	if (s == NULL) return UV_ENOMEM;
	int r = uv_pipe_init(server->loop, &s->u.pipe, 0);
	if (r < 0) {
		free(s);
		return r;
	}
	r = uv_accept(server, &s->u.stream);
	if (r == 0) {
#if UVP_PRIVATE
		if (uvp_private_on) {
			*fd = s->u.stream.io_watcher.fd;
			s->u.stream.io_watcher.fd = -1;
			uv_close(&s->u.handle, uvp_close_cb);
			return 0;
		}
#endif
		uv_os_fd_t f;
		r = uv_fileno(&s->u.handle, &f);
		if (r == 0) r = uvp_dup_cloexec((int)(intptr_t)f);
		if (r >= 0) {
			*fd = r;
			r = 0;
		}
	}
	uv_close(&s->u.handle, uvp_close_cb);
	return r;
}

// uvp_take_pending takes the first pending handle of an IPC pipe as its fd
// (uvp_accept_fd). *type is the pending handle's type.
//
// On Windows libuv passes only TCP sockets (a server or a connection), and
// its uv_accept on an IPC pipe makes the socket inside the target, which it
// takes to be a uv_tcp_t: the handle is accepted into a scratch TCP handle,
// a duplicate of its SOCKET is taken (uvp_dup_cloexec), and the scratch
// handle is closed, which closes the original.
int uvp_take_pending(uvp_handle *h, int *fd, int *type) {
	uv_pipe_t *p = &h->u.pipe;
	if (uv_pipe_pending_count(p) == 0) return UV_EAGAIN;
	*type = uv_pipe_pending_type(p);
#ifdef _WIN32
	if (*type != UV_TCP) return UV_ENOTSUP;
	uvp_handle *s = uvp_handle_new(NULL, 0);
	if (s == NULL) return UV_ENOMEM;
	int r = uv_tcp_init(h->u.handle.loop, &s->u.tcp);
	if (r < 0) {
		free(s);
		return r;
	}
	r = uv_accept(&h->u.stream, &s->u.stream);
	if (r == 0) {
		uv_os_fd_t f;
		r = uv_fileno(&s->u.handle, &f);
		if (r == 0) r = uvp_dup_cloexec((int)(unsigned int)(uintptr_t)f);
		if (r >= 0) {
			*fd = r;
			r = 0;
		}
	}
	uv_close(&s->u.handle, uvp_close_cb);
	return r;
#else
	return uvp_accept_fd(&h->u.stream, fd);
#endif
}

// uvp_take_accepted takes the connection a listener has accepted and the
// program has not (libuv holds at most one), as an fd: 1 with *fd set, 0
// when there is none, or a negative libuv error.
int uvp_take_accepted(uvp_handle *h, int *fd) {
	int r = uvp_accept_fd(&h->u.stream, fd);
	if (r == UV_EAGAIN) return 0;
	return r < 0 ? r : 1;
}

// uvp_scratch_open is uvp_scratch's public path: the handle opens a
// duplicate of fd, which it owns (so uvp_scratch_fd_of is the duplicate),
// and the socket is given back the file status flags and the SO_REUSEADDR
// that uv_*_open changed. Nothing is registered with epoll.
static uvp_handle *uvp_scratch_open(uv_loop_t *loop, int t, int fd, int *err) {
#ifdef _WIN32
	// Windows: only a TCP socket can be sent (libuv's uv_write2 exports a
	// uv_tcp_t). The handle opens a duplicate, which it owns; uv_tcp_open
	// leaves the socket's own flags alone but for non-blocking mode, which
	// overlapped I/O does not look at.
	if (t != UV_TCP) {
		*err = UV_ENOTSUP;
		return NULL;
	}
	int d = uvp_dup_cloexec(fd);
	if (d < 0) {
		*err = d;
		return NULL;
	}
	uvp_handle *s = uvp_handle_new(NULL, 0);
	if (s == NULL) {
		closesocket((SOCKET)(uintptr_t)(unsigned int)d);
		*err = UV_ENOMEM;
		return NULL;
	}
	uv_tcp_init(loop, &s->u.tcp);
	if (uv_tcp_open(&s->u.tcp, (uv_os_sock_t)(uintptr_t)(unsigned int)d) < 0) closesocket((SOCKET)(uintptr_t)(unsigned int)d);
	s->scratch_owns = 1;
	return s;
#else
	int flags = fcntl(fd, F_GETFL);
	int reuse = 0;
	socklen_t rl = sizeof reuse;
	if (flags < 0 || (t == UV_UDP && getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, &rl) < 0)) {
		*err = -errno;
		return NULL;
	}
	int d = uvp_dup_cloexec(fd);
	if (d < 0) {
		*err = d;
		return NULL;
	}
	uvp_handle *s = uvp_handle_new(NULL, 0);
	if (s == NULL) {
		close(d);
		*err = UV_ENOMEM;
		return NULL;
	}
	int r;
	switch (t) {
	case UV_TCP:
		uv_tcp_init(loop, &s->u.tcp);
		r = uv_tcp_open(&s->u.tcp, d);
		break;
	case UV_NAMED_PIPE:
		uv_pipe_init(loop, &s->u.pipe, 0);
		r = uv_pipe_open(&s->u.pipe, d);
		break;
	case UV_UDP:
		uv_udp_init(loop, &s->u.udp);
		r = uv_udp_open(&s->u.udp, d);
		if (r == 0) setsockopt(d, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof reuse);
		break;
	default:
		close(d);
		free(s);
		*err = UV_EINVAL;
		return NULL;
	}
	fcntl(d, F_SETFL, flags);
	if (r < 0) close(d);  // the handle did not take it
	s->scratch_owns = 1;
	return s;
#endif
}

// uvp_scratch makes a handle of type t (UV_TCP, UV_UDP or UV_NAMED_PIPE)
// that holds fd, for sending an fd that is no libuv handle's with uv_write2
// (which only reads the handle's fd). The private path sets the handle's fd
// without owning it: nothing is registered with epoll and the fd's flags are
// left alone. The public path opens a duplicate (uvp_scratch_open).
// uvp_scratch_close gives the fd back (or closes the duplicate), then closes
// the handle; its close callback frees it. NULL for another type, no memory,
// or a failed duplicate.
uvp_handle *uvp_scratch(uv_loop_t *loop, int t, int fd, int *err) {
	*err = UV_EINVAL;
#if UVP_PRIVATE
	if (!uvp_private_on) return uvp_scratch_open(loop, t, fd, err);
#else
	return uvp_scratch_open(loop, t, fd, err);
#endif
#if UVP_PRIVATE
	uvp_handle *s = uvp_handle_new(NULL, 0);
	if (s == NULL) {
		*err = UV_ENOMEM;
		return NULL;
	}
	switch (t) {
	case UV_TCP:
		uv_tcp_init(loop, &s->u.tcp);
		s->u.stream.io_watcher.fd = fd;
		break;
	case UV_NAMED_PIPE:
		uv_pipe_init(loop, &s->u.pipe, 0);
		s->u.stream.io_watcher.fd = fd;
		break;
	case UV_UDP:
		uv_udp_init(loop, &s->u.udp);
		s->u.udp.io_watcher.fd = fd;
		break;
	default:
		free(s);
		return NULL;
	}
	return s;
#endif
}

// uvp_scratch_owns reports whether a scratch handle owns its fd (a duplicate
// that closing the handle closes), as the public path's do.
int uvp_scratch_owns(uvp_handle *s) { return s->scratch_owns; }

// uvp_scratch_own makes a scratch handle of the private path hold a
// duplicate of the fd it borrows, and own it. 0 or a negative libuv error.
int uvp_scratch_own(uvp_handle *s) {
	if (s->scratch_owns) return 0;
#if UVP_PRIVATE
	int fd = s->u.handle.type == UV_UDP ? s->u.udp.io_watcher.fd : s->u.stream.io_watcher.fd;
	int d = uvp_dup_cloexec(fd);
	if (d < 0) return d;
	if (s->u.handle.type == UV_UDP) s->u.udp.io_watcher.fd = d;
	else s->u.stream.io_watcher.fd = d;
	s->scratch_owns = 1;
	return 0;
#else
	return UV_EINVAL;
#endif
}

// uvp_scratch_close closes a scratch handle; a borrowed fd is given back
// first, so that closing the handle leaves it open.
void uvp_scratch_close(uvp_handle *s) {
#if UVP_PRIVATE
	if (!s->scratch_owns) {
		if (s->u.handle.type == UV_UDP) s->u.udp.io_watcher.fd = -1;
		else s->u.stream.io_watcher.fd = -1;
	}
#endif
	uvp_close(s);
}

static void uvp_async_cb(uv_async_t *a) { goAsync(a->data); }

int uvp_async_init(uv_loop_t *loop, uvp_handle *h) { return uv_async_init(loop, &h->u.async, uvp_async_cb); }

// An Async handle of the program's own (the loop's wake-up handle is the one
// above).
static void uvp_async_user_cb(uv_async_t *a) { goAsyncHandle(a->data); }

int uvp_async_user_init(uv_loop_t *loop, uvp_handle *h) { return uv_async_init(loop, &h->u.async, uvp_async_user_cb); }

static void uvp_timer_cb(uv_timer_t *t) { goTimer(t->data); }

// uvp_timer_start counts the timeout from now, not from the loop's clock,
// which a leader leaves behind while no timer is set (uvp_needs_pass).
int uvp_timer_start(uvp_handle *h, uint64_t timeout, uint64_t repeat) {
	uv_update_time(h->u.timer.loop);
	return uv_timer_start(&h->u.timer, uvp_timer_cb, timeout, repeat);
}

// uvp_hand_stash hands Go the bytes a quiet read left in the C buffer.
static void uvp_hand_stash(uvp_handle *h) {
	long n = h->stash_n;
	if (n > 0) {
		h->stash_n = 0;
		goRead(h->u.handle.data, n, h->cbuf, 0);
	}
}

// Reads land in the pending Read's own buffer when one is lent, else in the
// handle's C buffer, whose bytes Go copies before the callback returns (or
// takes after the pass, when the read was quiet).
static void uvp_alloc_cb(uv_handle_t *handle, size_t suggested, uv_buf_t *buf) {
	uvp_handle *h = (uvp_handle *)handle;
	(void)suggested;
	if (h->lend_base != NULL) {
		buf->base = h->lend_base;
		buf->len = h->lend_len;
		h->lend_base = NULL;
		return;
	}
	if (h->stash_n > 0) {
		// Go has yet to take a quiet read from the C buffer. No room (libuv
		// then calls the read callback with UV_ENOBUFS, which hands the
		// stash over; the bytes left in the socket are read at the next
		// pass). Go is not called from here: it may stop reading, and libuv
		// calls the read callback right after this one returns.
		buf->base = NULL;
		buf->len = 0;
		return;
	}
	if (h->cbuf == NULL) h->cbuf = malloc(h->cbuf_len);
	buf->base = h->cbuf;
	buf->len = h->cbuf == NULL ? 0 : h->cbuf_len;
}

// uvp_quiet reports whether a read of nread bytes into buf can be left for
// Go to take after the pass: a blocking Read waits for it, the buffer was
// not filled (libuv reads again only after a full one), and no earlier
// quiet read waits in the same buffer; in the C buffer, also no handle
// came with it or waits before it.
static int uvp_quiet(uvp_handle *h, uv_stream_t *s, ssize_t nread, const uv_buf_t *buf, int lent) {
	if (!h->stash_ok || nread <= 0 || (size_t)nread >= buf->len) return 0;
#ifdef _WIN32
	// libuv for Windows loses its place in an IPC frame when the alloc
	// callback gives no room in the middle of a frame's payload
	// (uv__pipe_read_ipc takes the bytes it asked for as read): no quiet
	// read on an IPC pipe there, so uvp_alloc_cb always has room for it.
	if (s->type == UV_NAMED_PIPE && ((uv_pipe_t *)s)->ipc) return 0;
#endif
	if (lent) return h->lent_n == 0;  // the waiting Read's own buffer: nothing to copy
	if (h->stash_n != 0) return 0;
	if (s->type == UV_NAMED_PIPE && ((uv_pipe_t *)s)->ipc && uv_pipe_pending_count((uv_pipe_t *)s) != 0) return 0;
	return 1;
}

static void uvp_read_cb(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
	uvp_handle *h = (uvp_handle *)s;
	int lent = buf->base != NULL && buf->base != h->cbuf;
	if (nread == 0 && !lent) return;  // EAGAIN: nothing read, the C buffer handed back
	if (nread == UV_ENOBUFS && buf->base == NULL && h->stash_n > 0) {
		uvp_hand_stash(h);  // the no-room that uvp_alloc_cb gave for it
		return;
	}
	if (uvp_quiet(h, s, nread, buf, lent)) {
		if (lent) h->lent_n = (long)nread;
		else h->stash_n = (long)nread;
		return;
	}
	uvp_hand_stash(h);  // bytes read before these go first
	goRead(s->data, (long)nread, buf->base, lent);
}

// uvp_unread returns the bytes waiting in the socket of a stream (FIONREAD).
// 0 on Windows, where it is not known: the caller then takes the EOF as it
// comes.
int uvp_unread(uvp_handle *h) {
#ifdef _WIN32
	(void)h;
	return 0;
#else
	uv_os_fd_t fd;
	int n = 0;
	if (uv_fileno(&h->u.handle, &fd) < 0 || ioctl(fd, FIONREAD, &n) < 0) return 0;
	return n;
#endif
}

// uvp_read_direct is one read(2) on a stream's fd, as uv__read does for a
// stream that is not IPC: the bytes read, 0 at the end, or a negative libuv
// error (UV_EAGAIN when there is nothing).
// On Windows, where libuv's reads are completions of its port, there is no
// read to make beside libuv's: always UV_EAGAIN, so the Read waits on the
// loop.
int uvp_read_direct(uvp_handle *h, char *p, size_t n) {
#ifdef _WIN32
	(void)h, (void)p, (void)n;
	return UV_EAGAIN;
#else
	uv_os_fd_t fd;
	if (uv_fileno(&h->u.handle, &fd) < 0) return UV_EBADF;
	ssize_t r;
	do r = read(fd, p, n); while (r < 0 && errno == EINTR);
	if (r < 0) return (errno == EAGAIN || errno == EWOULDBLOCK) ? UV_EAGAIN : -errno;
	return (int)r;
#endif
}

int uvp_read_start(uvp_handle *h) { return uv_read_start(&h->u.stream, uvp_alloc_cb, uvp_read_cb); }

// uvp_detach takes the fd out of a TCP, pipe or UDP handle so that it
// outlives the handle, for another loop to use (libuv has no call for it):
// it returns a duplicate of the handle's fd, and the caller closes the
// handle, which closes the original and takes it out of this loop's epoll
// set (uv_close does that before it closes an fd). Reading stops; the
// handle must not be watched for anything else (queued writes or sends,
// pending handles, listening: UV_EBUSY). Returns the fd or a negative
// libuv error.
//
// On Windows a TCP socket is duplicated with uvp_dup_cloexec, a pipe
// connection's HANDLE into a C runtime fd with uvp_dup_pipe; an IPC pipe
// (libuv keeps the state of a half-read frame in the handle) and a UDP
// socket stay where they are (UV_ENOTSUP).
int uvp_detach(uvp_handle *h) {
#ifdef _WIN32
	if (h->u.handle.type == UV_UDP) return UV_ENOTSUP;
	if (h->u.handle.type == UV_NAMED_PIPE && h->u.pipe.ipc) return UV_ENOTSUP;
#endif
	switch (h->u.handle.type) {
	case UV_TCP:
	case UV_NAMED_PIPE:
		if (uv_stream_get_write_queue_size(&h->u.stream) != 0) return UV_EBUSY;
		if (h->u.handle.type == UV_NAMED_PIPE && h->u.pipe.ipc && uv_pipe_pending_count(&h->u.pipe) != 0) return UV_EBUSY;
		uv_read_stop(&h->u.stream);
		break;
	case UV_UDP:
		if (uv_udp_get_send_queue_count(&h->u.udp) != 0) return UV_EBUSY;
		uv_udp_recv_stop(&h->u.udp);
		break;
	default:
		return UV_EINVAL;
	}
	if (uv_is_active(&h->u.handle) || h->reqs != 0) return UV_EBUSY;  // listening, connecting, shutting down
	uv_os_fd_t fd;
	if (uv_fileno(&h->u.handle, &fd) < 0) return UV_EBADF;
#ifdef _WIN32
	if (h->u.handle.type == UV_NAMED_PIPE) return uvp_dup_pipe(fd);
#endif
	return uvp_dup_cloexec((int)(intptr_t)fd);
}

static void uvp_write_cb(uv_write_t *req, int status) {
	uvp_write_req *w = (uvp_write_req *)req;
	uvp_handle *h = (uvp_handle *)req->handle;
	void *key = req->handle->data;
	h->reqs--;
	// What a failed request left unwritten. libuv clears bufs before the
	// callback, but the one buffer of the request stays in bufsml, advanced
	// past what was written: the private path reads it. The public path
	// knows it for requests cancelled by a close: the stream's write queue
	// size when it started to close, less the requests after this one
	// (the requests go out in order, so only the first was partly written).
	// For a request that failed otherwise (EPIPE: the peer is gone) it
	// counts the whole request as unwritten.
	size_t left = 0;
	if (status < 0) {
		left = w->len;
#if UVP_PRIVATE
		if (w->private_req) left = req->bufsml[0].len;
#endif
		if (!w->private_req && h->close_snap) {
			size_t after = h->out_bytes - w->len;
			left = h->close_unsent > after ? h->close_unsent - after : 0;
			if (left > w->len) left = w->len;
			h->close_unsent -= left;
		}
	}
	h->out_bytes -= w->len;
	h->write_left = left;
	free(w->detached);
	free(w);
	goWriteDone(key, status);
}

// uvp_try writes what the socket takes at once (uv_try_write, or
// uv_try_write2 with a handle) when nothing is queued before it. It returns
// the bytes written (0 when the socket takes nothing or writes are queued) or
// a negative libuv error. With a handle it first makes uv_write2's checks,
// which libuv 1.44's uv_try_write2 skips (it would send the fd over a non-IPC
// pipe, where the reader drops it).
int uvp_try(uvp_handle *h, const char *p, size_t n, uvp_handle *send) {
	uv_stream_t *s = &h->u.stream;
	uv_stream_t *sh = send == NULL ? NULL : &send->u.stream;
	if (sh != NULL) {
		if (s->type != UV_NAMED_PIPE || !((uv_pipe_t *)s)->ipc) return UV_EINVAL;
		if (uv_is_closing(&send->u.handle)) return UV_EBADF;
		uv_os_fd_t fd;
		if (uv_fileno(&send->u.handle, &fd) < 0) return UV_EBADF;
	}
	if (uv_stream_get_write_queue_size(s) != 0) return 0;
	uv_buf_t b = uv_buf_init((char *)p, (unsigned int)n);
	int r = sh == NULL ? uv_try_write(s, &b, 1) : uv_try_write2(s, &b, 1, sh);
	return r == UV_EAGAIN ? 0 : r;
}

// uvp_queue queues n bytes (and a handle) as one uv_write2 request. With
// borrow the request points at p, which the caller keeps pinned until the
// request completes or uvp_write_detach copies what is left; otherwise the
// bytes are copied now. *out is the request.
int uvp_queue(uvp_handle *h, const char *p, size_t n, uvp_handle *send, int borrow, uvp_write_req **out) {
	// Borrowing needs uvp_write_detach, which is private: the public path copies.
	if (!uvp_private_on) borrow = 0;
	uvp_write_req *w = malloc(sizeof *w + (borrow ? 0 : n));
	if (w == NULL) return UV_ENOMEM;
	w->len = n;
	w->detached = NULL;
	w->private_req = uvp_private_on;
	char *base = (char *)p;
	if (!borrow) {
		memcpy(w->data, p, n);
		base = w->data;
	}
	uv_buf_t b = uv_buf_init(base, (unsigned int)n);
	int r = uv_write2(&w->req, &h->u.stream, &b, 1, send == NULL ? NULL : &send->u.stream, uvp_write_cb);
	if (r < 0) {
		free(w);
		return r;
	}
	h->reqs++;
	h->out_bytes += n;
	*out = w;
	return 0;
}

// uvp_write_detach makes a request that borrowed the caller's buffer own a
// copy of the bytes it has still to write, so the caller can let the buffer
// go (a deadline passed, the stream is closing). libuv clears bufs when it
// finishes a request, before its callback runs. Private: only a request of
// the private path borrows.
void uvp_write_detach(uvp_write_req *w) {
#if UVP_PRIVATE
	uv_write_t *req = &w->req;
	if (req->bufs == NULL || req->write_index >= req->nbufs || w->detached != NULL) return;
	uv_buf_t *b = &req->bufs[req->write_index];
	char *c = malloc(b->len > 0 ? b->len : 1);
	if (c == NULL) abort();  // cannot keep libuv pointing at memory about to be released
	memcpy(c, b->base, b->len);
	b->base = c;
	w->detached = c;
#else
	(void)w;
#endif
}

static void uvp_shutdown_cb(uv_shutdown_t *req, int status) {
	void *key = req->handle->data;
	((uvp_handle *)req->handle)->reqs--;
	free(req);
	goShutdownDone(key, status);
}

int uvp_shutdown(uvp_handle *h) {
	uv_shutdown_t *req = malloc(sizeof *req);
	if (req == NULL) return UV_ENOMEM;
	int r = uv_shutdown(req, &h->u.stream, uvp_shutdown_cb);
	if (r < 0) free(req);
	else h->reqs++;
	return r;
}

static void uvp_connection_cb(uv_stream_t *server, int status) { goConnection(server->data, status); }

int uvp_listen(uvp_handle *h, int backlog) { return uv_listen(&h->u.stream, backlog, uvp_connection_cb); }

static void uvp_connect_cb(uv_connect_t *req, int status) {
	void *key = req->handle->data;
	((uvp_handle *)req->handle)->reqs--;
	free(req);
	goConnected(key, status);
}

// uvp_tcp_keepalive is uv_tcp_keepalive. On Windows libuv sets the delay
// with setsockopt(IPPROTO_TCP, TCP_KEEPALIVE), which Windows has since
// Windows 10 1709 but Wine 8 refuses with WSAENOPROTOOPT (an error libuv's
// translation does not know: UV_UNKNOWN); keep-alive is then on already
// (SO_KEEPALIVE went first), and the delay is set the older way,
// WSAIoctl(SIO_KEEPALIVE_VALS), as Go's net package does.
int uvp_tcp_keepalive(uvp_handle *h, int on, unsigned int delay) {
	int r = uv_tcp_keepalive(&h->u.tcp, on, delay);
#ifdef _WIN32
	if (r < 0 && on && WSAGetLastError() == WSAENOPROTOOPT) {
		uv_os_fd_t fd;
		if (uv_fileno(&h->u.handle, &fd) < 0) return r;
		struct tcp_keepalive ka = {1, (ULONG)delay * 1000, 1000};
		DWORD n = 0;
		if (WSAIoctl((SOCKET)fd, SIO_KEEPALIVE_VALS, &ka, sizeof ka, NULL, 0, &n, NULL, NULL) != 0)
			return uv_translate_sys_error(WSAGetLastError());
		return 0;
	}
#endif
	return r;
}

int uvp_tcp_connect(uvp_handle *h, const struct sockaddr *addr) {
	uv_connect_t *req = malloc(sizeof *req);
	if (req == NULL) return UV_ENOMEM;
	int r = uv_tcp_connect(req, &h->u.tcp, addr, uvp_connect_cb);
	if (r < 0) free(req);
	else h->reqs++;
	return r;
}

int uvp_pipe_connect(uvp_handle *h, const char *path) {
	uv_connect_t *req = malloc(sizeof *req);
	if (req == NULL) return UV_ENOMEM;
	uv_pipe_connect(req, &h->u.pipe, path, uvp_connect_cb);
	h->reqs++;
	return 0;
}

static void uvp_udp_alloc_cb(uv_handle_t *handle, size_t suggested, uv_buf_t *buf) {
	uvp_handle *h = (uvp_handle *)handle;
	(void)suggested;
	if (h->cbuf == NULL) h->cbuf = malloc(h->cbuf_len);
	buf->base = h->cbuf;
	buf->len = h->cbuf == NULL ? 0 : h->cbuf_len;
}

static void uvp_udp_recv_cb(uv_udp_t *u, ssize_t nread, const uv_buf_t *buf, const struct sockaddr *addr, unsigned flags) {
	if (nread == 0 && addr == NULL) return;  // nothing more to read
	goUDPRecv(u->data, (long)nread, buf->base, (struct sockaddr *)addr, flags);
}

int uvp_udp_recv_start(uvp_handle *h) { return uv_udp_recv_start(&h->u.udp, uvp_udp_alloc_cb, uvp_udp_recv_cb); }

static void uvp_udp_send_cb(uv_udp_send_t *req, int status) {
	void *key = req->handle->data;
	((uvp_handle *)req->handle)->reqs--;
	free(req);
	goUDPSent(key, status);
}

int uvp_udp_send(uvp_handle *h, const char *p, size_t n, const struct sockaddr *addr) {
	uv_buf_t b = uv_buf_init((char *)p, (unsigned int)n);
	if (uv_udp_get_send_queue_count(&h->u.udp) == 0) {
		int r = uv_udp_try_send(&h->u.udp, &b, 1, addr);
		if (r >= 0) return 0;
		if (r != UV_EAGAIN) return r;
	}
	uvp_udp_send_req *s = malloc(sizeof *s + n);
	if (s == NULL) return UV_ENOMEM;
	memcpy(s->data, p, n);
	s->len = n;
	b = uv_buf_init(s->data, (unsigned int)n);
	int r = uv_udp_send(&s->req, &h->u.udp, &b, 1, addr, uvp_udp_send_cb);
	if (r < 0) {
		free(s);
		return r;
	}
	h->reqs++;
	return 1;
}

// uvp_pipe_keep_path takes a bound pipe's path out of the handle, so that
// closing the handle does not unlink it: 1 with *path (the caller hands it
// to uvp_pipe_set_path, or frees it), 0 when libuv would unlink nothing or
// the path cannot be taken. Private: libuv has no call for it. The public
// path answers 0 and leaves the path to the caller (detach_listener.go).
int uvp_pipe_keep_path(uvp_handle *h, char **path) {
#if UVP_PRIVATE
	if (uvp_private_on && h->u.pipe.pipe_fname != NULL) {
		*path = (char *)h->u.pipe.pipe_fname;
		h->u.pipe.pipe_fname = NULL;
		return 1;
	}
#endif
	(void)h, (void)path;
	return 0;
}

// uvp_pipe_set_path gives a pipe the path uvp_pipe_keep_path took, which
// its close then unlinks.
void uvp_pipe_set_path(uvp_handle *h, char *path) {
#if UVP_PRIVATE
	h->u.pipe.pipe_fname = path;
#else
	(void)h;
	free(path);
#endif
}
