//go:build !windows

package nodeipc_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/nodeipc"
)

// A NODE_HANDLE_ACK behind more unread messages than the inbox holds is
// still handled, so the Send queued behind the handle goes out while the
// program reads nothing; the user messages all arrive afterwards, in order.
func TestAckBehindFullInboxIsHandled(t *testing.T) {
	ch, p := rawPair(t, nodeipc.JSON)
	l := listenLocal(t)
	require.NoError(t, ch.SendHandle("h", l, nodeipc.SendOptions{}))
	require.NoError(t, ch.Send("queued")) // held until the handle is acknowledged
	require.Equal(t, `{"cmd":"NODE_HANDLE","type":"net.Server","msg":"h"}`+"\n", p.line())
	const unread = 100
	var b strings.Builder
	for i := range unread {
		fmt.Fprintf(&b, "%d\n", i)
	}
	b.WriteString(`{"cmd":"NODE_HANDLE_ACK"}` + "\n")
	p.write(b.String())
	require.Equal(t, "\"queued\"\n", p.line()) // nothing was received by the program
	for i := range unread {
		require.EqualValues(t, i, recv(t, ch).Value)
	}
}
