// shim.h — the C side of package uv: one struct around every libuv handle,
// and the callbacks libuv calls, each of which crosses into Go once.
#ifndef UVPIPE_SHIM_H
#define UVPIPE_SHIM_H

#if defined(__has_include)
#if !__has_include(<uv.h>)
#error "libuv is not built: run ./build.sh at the top of the uvpipe module (or build with -tags system_libuv)"
#endif
#endif

#include <stdlib.h>
#include <uv.h>

// uvp_handle is the C memory behind every Go handle. data (inside the union)
// holds the go-pointer key of the Go object.
typedef struct uvp_handle {
	union {
		uv_handle_t handle;
		uv_stream_t stream;
		uv_tcp_t tcp;
		uv_pipe_t pipe;
		uv_udp_t udp;
		uv_timer_t timer;
		uv_async_t async;
	} u;
	char *lend_base;  // the buffer of a pending Read, pinned by Go
	size_t lend_len;
	char *cbuf;       // the handle's own read buffer, C memory
	size_t cbuf_len;
	// A quiet read: while stash_ok (set by a blocking Read that waits),
	// a read into cbuf that brought no handle is left there, stash_n
	// bytes long, for Go to take after the pass instead of being handed
	// to Go by a callback. Any other read or the next use of cbuf hands
	// it over first, so the order of bytes and handles is kept.
	int stash_ok;
	long stash_n;
	// A quiet read into the lent buffer, likewise: its length, for Go to
	// take after the pass (reads that fill the buffer still call Go).
	long lent_n;
	// The bytes the write request whose callback runs left unwritten: all
	// that a failed or cancelled request had still to write, else 0.
	size_t write_left;
	// The handle's requests (writes, shutdown, connect, sends) from their
	// start to their callback, which the public path counts for Refs.
	int reqs;
	// A scratch handle (uvp_scratch) that owns its fd, a duplicate.
	int scratch_owns;
	// The bytes of the write requests whose callbacks have yet to run, and
	// (close_snap) those unwritten when the stream started to close: the
	// public path of the write callback counts a cancelled request's rest
	// with them.
	size_t out_bytes;
	size_t close_unsent;
	int close_snap;
} uvp_handle;

typedef struct uvp_write {
	uv_write_t req;
	size_t len;
	char *detached;  // bytes copied out of a borrowed buffer, freed with the request
	int private_req; // made on the private path (private.h)
	char data[];     // the bytes, when copied at once
} uvp_write_req;

typedef struct uvp_udp_send {
	uv_udp_send_t req;
	size_t len;
	char data[];
} uvp_udp_send_req;

uvp_handle *uvp_handle_new(void *key, size_t cbuf_len);
void uvp_close(uvp_handle *h);
int uvp_run_nowait(uv_loop_t *loop);
int uvp_run_once(uv_loop_t *loop);
// UVP_STEP_MAX_TIMEOUT caps the timeout uvp_step packs (a day, in ms): the
// leader then simply steps again.
#define UVP_STEP_MAX_TIMEOUT (24 * 3600 * 1000)
int uvp_step(uv_loop_t *loop, int first, int fd, unsigned events);
int uvp_dispatching(void);
uv_loop_t *uvp_current_loop(void);
uv_loop_t *uvp_enter(uv_loop_t *loop);
void uvp_leave(uv_loop_t *prev);
int uvp_loop_refs(uv_loop_t *loop, uv_handle_t *except);
int uvp_handle_count(uv_loop_t *loop, uv_handle_t *except);
void uvp_close_all(uv_loop_t *loop, uv_handle_t *except);

int uvp_async_init(uv_loop_t *loop, uvp_handle *h);
int uvp_async_user_init(uv_loop_t *loop, uvp_handle *h);
int uvp_timer_start(uvp_handle *h, uint64_t timeout, uint64_t repeat);

int uvp_read_start(uvp_handle *h);
int uvp_detach(uvp_handle *h);
int uvp_take_pending(uvp_handle *h, int *fd, int *type);
int uvp_dup_fd(int fd);
int uvp_take_accepted(uvp_handle *h, int *fd);
uvp_handle *uvp_scratch(uv_loop_t *loop, int t, int fd, int *err);
int uvp_scratch_owns(uvp_handle *s);
int uvp_scratch_own(uvp_handle *s);
void uvp_scratch_close(uvp_handle *s);
int uvp_pipe_keep_path(uvp_handle *h, char **path);
void uvp_pipe_set_path(uvp_handle *h, char *path);
int uvp_unread(uvp_handle *h);
int uvp_read_direct(uvp_handle *h, char *p, size_t n);
int uvp_try(uvp_handle *h, const char *p, size_t n, uvp_handle *send);
int uvp_queue(uvp_handle *h, const char *p, size_t n, uvp_handle *send, int borrow, uvp_write_req **out);
void uvp_write_detach(uvp_write_req *w);
int uvp_shutdown(uvp_handle *h);
int uvp_listen(uvp_handle *h, int backlog);
int uvp_tcp_keepalive(uvp_handle *h, int on, unsigned int delay);
int uvp_tcp_connect(uvp_handle *h, const struct sockaddr *addr);
int uvp_pipe_connect(uvp_handle *h, const char *path);

int uvp_udp_recv_start(uvp_handle *h);
int uvp_udp_send(uvp_handle *h, const char *p, size_t n, const struct sockaddr *addr);

#endif
