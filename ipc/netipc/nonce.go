package netipc

import (
	"crypto/rand"
	"encoding/binary"
	"strconv"
	"sync/atomic"
	"time"
)

// requestNonces numbers requests: a random base-36 prefix for the process
// and a counter, unique per process as a request's nonce must be per
// connection, and cheaper than newNonce.
var requestNonces = struct {
	prefix string
	n      atomic.Uint64
}{prefix: newNonce()}

func requestNonce() string {
	var b [40]byte
	out := append(b[:0], requestNonces.prefix...)
	out = append(out, '-')
	return string(strconv.AppendUint(out, requestNonces.n.Add(1), 36))
}

// newNonce makes an opaque id in the style of the JS one: base-36 time and
// randomness.
func newNonce() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return strconv.FormatInt(time.Now().UnixMilli(), 36) + strconv.FormatUint(binary.LittleEndian.Uint64(b[:])>>11, 36)
}
