//go:build cgo && system_libuv

package uv_test

// pinned is empty with system_libuv: the system's libuv is whichever it is.
const pinned = ""
