package netipc_test

import (
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/netipc"
)

// Every type that can be closed is an io.Closer; the variants (END with a
// reason, allowReconnect) have names of their own.
func TestTypesAreClosers(t *testing.T) {
	for _, v := range []any{(*netipc.Server)(nil), (*netipc.Client)(nil), (*netipc.ServerConn)(nil)} {
		_, ok := v.(io.Closer)
		require.True(t, ok, "%T is not an io.Closer", v)
	}
}
