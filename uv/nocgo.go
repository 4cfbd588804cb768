//go:build !cgo

package uv

// Package uv drives libuv through cgo and cannot be built without it. This
// undefined name stops the build with a message instead of "build constraints
// exclude all Go files".
var _ = uvpipe_needs_cgo__build_with_CGO_ENABLED_1_after_running_build_sh
