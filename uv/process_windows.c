// process_windows.c — the C side of Spawn (process_windows.go): uv_spawn
// with the stdio a Go caller describes, and the exit callback.
#include "shim.h"

#include <io.h>
#include <fcntl.h>
#include <string.h>
#include "_cgo_export.h"

// A process handle lives in a uvp_handle's memory like every other handle
// (uvp_close_cb frees it and reads the fields after the union): it must fit
// in the union.
_Static_assert(sizeof(uv_process_t) <= sizeof(((uvp_handle *)0)->u), "uv_process_t does not fit in uvp_handle");

// The handle's process, which lives at the start of its uvp_handle.
static inline uv_process_t *uvp_process(uvp_handle *h) { return (uv_process_t *)&h->u; }

static void uvp_process_exit_cb(uv_process_t *p, int64_t status, int sig) {
	goProcessExited(p->data, status, sig);
}

// uvp_crt_fd makes a C runtime fd of this process for a duplicate of
// handle: UV_INHERIT_FD takes CRT fds. The caller closes it with _close,
// which closes the duplicate. -1 on failure, with *err set.
static int uvp_crt_fd(HANDLE handle, int *err) {
	HANDLE dup;
	HANDLE self = GetCurrentProcess();
	if (!DuplicateHandle(self, handle, self, &dup, 0, FALSE, DUPLICATE_SAME_ACCESS)) {
		*err = uv_translate_sys_error(GetLastError());
		return -1;
	}
	int fd = _open_osfhandle((intptr_t)dup, 0);
	if (fd < 0) {
		CloseHandle(dup);
		*err = UV_EMFILE;
	}
	return fd;
}

int uvp_spawn(uv_loop_t *loop, uvp_handle *h, const char *file, char **args, char **env, const char *cwd,
              int n, const int *kinds, const intptr_t *vals, uvp_handle **pipes, unsigned flags, int *pid) {
	uv_stdio_container_t *stdio = calloc(n > 0 ? n : 1, sizeof *stdio);
	int *made = calloc(n > 0 ? n : 1, sizeof *made); // CRT fds made here, closed after the spawn
	if (stdio == NULL || made == NULL) {
		free(stdio);
		free(made);
		return UV_ENOMEM;
	}
	int r = 0;
	for (int i = 0; i < n; i++) {
		made[i] = -1;
		switch (kinds[i]) {
		case 1: // a CRT fd of this process
			stdio[i].flags = UV_INHERIT_FD;
			stdio[i].data.fd = (int)vals[i];
			break;
		case 2: // a HANDLE of this process, through a CRT fd of its duplicate
			made[i] = uvp_crt_fd((HANDLE)vals[i], &r);
			if (made[i] < 0) goto out;
			stdio[i].flags = UV_INHERIT_FD;
			stdio[i].data.fd = made[i];
			break;
		case 3: // a new pipe whose parent end is pipes[i]
			stdio[i].flags = UV_CREATE_PIPE | UV_READABLE_PIPE | UV_WRITABLE_PIPE;
			stdio[i].data.stream = &pipes[i]->u.stream;
			break;
		default:
			stdio[i].flags = UV_IGNORE;
		}
	}
	uv_process_options_t o;
	memset(&o, 0, sizeof o);
	o.exit_cb = uvp_process_exit_cb;
	o.file = file;
	o.args = args;
	o.env = env;
	o.cwd = cwd;
	o.flags = flags;
	o.stdio_count = n;
	o.stdio = stdio;
	uv_process_t *proc = uvp_process(h);
	r = uv_spawn(loop, proc, &o);
	if (r == 0) *pid = proc->pid;
out:
	for (int i = 0; i < n; i++)
		if (made[i] >= 0) _close(made[i]);
	free(stdio);
	free(made);
	return r;
}

int uvp_process_kill(uvp_handle *h, int signum) { return uv_process_kill(uvp_process(h), signum); }
