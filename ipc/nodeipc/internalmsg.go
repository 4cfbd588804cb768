package nodeipc

import (
	"strings"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// The internal commands this package sends and answers.
const (
	cmdHandle     = "NODE_HANDLE"
	cmdHandleAck  = "NODE_HANDLE_ACK"
	cmdHandleNack = "NODE_HANDLE_NACK"
)

// internalCmd returns the cmd of an internal message, as Node's isInternal
// decides: an object whose cmd is a string longer than 5 starting "NODE_".
func internalCmd(v any) (string, bool) {
	o, ok := v.(*jsvalue.Object)
	if !ok {
		return "", false
	}
	c, ok := o.Get("cmd")
	if !ok {
		return "", false
	}
	s, ok := c.(string)
	if !ok || len(s) <= 5 || !strings.HasPrefix(s, "NODE_") {
		return "", false
	}
	return s, true
}

// stringProp returns o[key] when it is a string.
func stringProp(o *jsvalue.Object, key string) string {
	v, _ := o.Get(key)
	s, _ := v.(string)
	return s
}

// handleWrapper is the message Node sends in place of a message that
// carries a handle: {cmd:"NODE_HANDLE", type, msg} and dgramType for UDP.
func handleWrapper(msg any, k handleKind) *jsvalue.Object {
	o := jsvalue.NewObject("cmd", cmdHandle, "type", k.typ, "msg", msg)
	if k.dgramType != "" {
		o.Set("dgramType", k.dgramType)
	}
	return o
}

// internalMessage is {cmd}: NODE_HANDLE_ACK or NODE_HANDLE_NACK.
func internalMessage(cmd string) *jsvalue.Object { return jsvalue.NewObject("cmd", cmd) }
