package uv

/*
#include "shim.h"
*/
import "C"

import "syscall"

// On Windows libuv's error codes are its own (UV__E*, around -4000), not
// errnos: they are mapped to the syscall.Errno values Go's syscall package
// defines for Windows, so that errors.Is(err, syscall.EPIPE) and the like
// hold there too. A code without a counterpart becomes the Errno of its
// absolute value (ErrName still names it).
var uvToErrno = map[C.int]syscall.Errno{
	C.UV_E2BIG:           syscall.E2BIG,
	C.UV_EACCES:          syscall.EACCES,
	C.UV_EADDRINUSE:      syscall.EADDRINUSE,
	C.UV_EADDRNOTAVAIL:   syscall.EADDRNOTAVAIL,
	C.UV_EAFNOSUPPORT:    syscall.EAFNOSUPPORT,
	C.UV_EAGAIN:          syscall.EAGAIN,
	C.UV_EALREADY:        syscall.EALREADY,
	C.UV_EBADF:           syscall.EBADF,
	C.UV_EBUSY:           syscall.EBUSY,
	C.UV_ECONNABORTED:    syscall.ECONNABORTED,
	C.UV_ECONNREFUSED:    syscall.ECONNREFUSED,
	C.UV_ECONNRESET:      syscall.ECONNRESET,
	C.UV_EDESTADDRREQ:    syscall.EDESTADDRREQ,
	C.UV_EEXIST:          syscall.EEXIST,
	C.UV_EFAULT:          syscall.EFAULT,
	C.UV_EFBIG:           syscall.EFBIG,
	C.UV_EHOSTUNREACH:    syscall.EHOSTUNREACH,
	C.UV_EINTR:           syscall.EINTR,
	C.UV_EINVAL:          syscall.EINVAL,
	C.UV_EIO:             syscall.EIO,
	C.UV_EISCONN:         syscall.EISCONN,
	C.UV_EISDIR:          syscall.EISDIR,
	C.UV_ELOOP:           syscall.ELOOP,
	C.UV_EMFILE:          syscall.EMFILE,
	C.UV_EMSGSIZE:        syscall.EMSGSIZE,
	C.UV_ENAMETOOLONG:    syscall.ENAMETOOLONG,
	C.UV_ENETDOWN:        syscall.ENETDOWN,
	C.UV_ENETUNREACH:     syscall.ENETUNREACH,
	C.UV_ENFILE:          syscall.ENFILE,
	C.UV_ENOBUFS:         syscall.ENOBUFS,
	C.UV_ENODEV:          syscall.ENODEV,
	C.UV_ENOENT:          syscall.ENOENT,
	C.UV_ENOMEM:          syscall.ENOMEM,
	C.UV_ENOSPC:          syscall.ENOSPC,
	C.UV_ENOSYS:          syscall.ENOSYS,
	C.UV_ENOTCONN:        syscall.ENOTCONN,
	C.UV_ENOTDIR:         syscall.ENOTDIR,
	C.UV_ENOTEMPTY:       syscall.ENOTEMPTY,
	C.UV_ENOTSOCK:        syscall.ENOTSOCK,
	C.UV_ENOTSUP:         syscall.ENOTSUP,
	C.UV_EPERM:           syscall.EPERM,
	C.UV_EPIPE:           syscall.EPIPE,
	C.UV_EPROTO:          syscall.EPROTO,
	C.UV_EPROTONOSUPPORT: syscall.EPROTONOSUPPORT,
	C.UV_EPROTOTYPE:      syscall.EPROTOTYPE,
	C.UV_ERANGE:          syscall.ERANGE,
	C.UV_EROFS:           syscall.EROFS,
	C.UV_ESHUTDOWN:       syscall.ESHUTDOWN,
	C.UV_ESPIPE:          syscall.ESPIPE,
	C.UV_ESRCH:           syscall.ESRCH,
	C.UV_ETIMEDOUT:       syscall.ETIMEDOUT,
	C.UV_ETXTBSY:         syscall.ETXTBSY,
	C.UV_EXDEV:           syscall.EXDEV,
	C.UV_EMLINK:          syscall.EMLINK,
	C.UV_ENOTTY:          syscall.ENOTTY,
	C.UV_EILSEQ:          syscall.EILSEQ,
}

var errnoToUV = func() map[syscall.Errno]C.int {
	m := make(map[syscall.Errno]C.int, len(uvToErrno))
	for c, e := range uvToErrno {
		m[e] = c
	}
	return m
}()

// sysErrno is the syscall.Errno of a negative libuv result.
func sysErrno(code C.int) syscall.Errno {
	if e, ok := uvToErrno[code]; ok {
		return e
	}
	return syscall.Errno(-code)
}

// uvCode is libuv's code for errno.
func uvCode(errno syscall.Errno) C.int {
	if c, ok := errnoToUV[errno]; ok {
		return c
	}
	return C.int(-int(errno))
}
