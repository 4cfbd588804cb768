package v8

import "github.com/uvpipe/uvpipe/ipc/jsvalue"

// fromGo turns a Go value outside the model into the model.
var fromGo = jsvalue.FromGo

// assign stores a decoded model value into dst, a non-nil pointer.
var assign = jsvalue.Assign
