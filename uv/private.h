// private.h — the version guard around libuv's private fields.
//
// Package uv uses libuv's public API. A few fast paths read or write fields
// that libuv keeps private (its loop's watcher queue and watcher table, a
// write request's buffers, a pipe server's path); they are compiled only
// when the headers are those of a libuv release whose layout they were
// written against, as UV_VERSION_HEX tells at compile time, and never when
// the build tag uvpipe_public defines UVPIPE_PUBLIC_ONLY. Everywhere else
// the public path is compiled alone. Where both are compiled, uvp_private_on
// chooses at run time (the tests run both).
#ifndef UVPIPE_PRIVATE_H
#define UVPIPE_PRIVATE_H

#include <uv.h>

#if defined(UVPIPE_PUBLIC_ONLY) || defined(_WIN32)
#define UVP_PRIVATE 0  // the private fields used are those of libuv's unix build
#elif UV_VERSION_HEX == 0x012c02  // 1.44.2: queues are void *[2]
#define UVP_PRIVATE 1
#define UVP_QUEUE_EMPTY(q) ((q)[0] == (void *)(q))
#elif UV_VERSION_HEX == 0x013200  // 1.50.0: queues are struct uv__queue
#define UVP_PRIVATE 1
#define UVP_QUEUE_EMPTY(q) ((q).next == &(q))
#else
#define UVP_PRIVATE 0
#endif

// uvp_private_on is 1 while the private fast paths are in use: UVP_PRIVATE
// at start; it can only be turned off and on again where they are compiled,
// and only while no loop exists.
extern int uvp_private_on;
int uvp_private_compiled(void);
int uvp_set_private(int on);

#endif
