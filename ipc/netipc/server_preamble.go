package netipc

import (
	"bufio"
	"bytes"
	"errors"
	"io"

	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
)

// notFoundReply is what the server answers to any other preamble before it
// closes the connection (@isdk's answer; net-ipc says 418 I'm a Teapot).
const notFoundReply = "HTTP/1.1 404 Not Found"

// maxUpgradeHeader bounds the HTTP header block of the GET preamble.
const maxUpgradeHeader = 8 << 10

// upgradeTokens are the Upgrade values a client may ask for: net-ipc's,
// and @isdk's fork's.
var upgradeTokens = []string{"net-ipc", "isdk-ipc"}

// ErrBadPreamble is the error event of a connection that opened with
// neither "IPC" nor an acceptable GET upgrade.
var ErrBadPreamble = errors.New("netipc: connection opened with an unknown preamble")

// readPreamble reads what a client sends before its packets: "IPC", or, as
// net-ipc's client does with handshake: true, an HTTP GET whose headers hold
// "Connection: Upgrade" and "Upgrade: net-ipc" (or @isdk's "isdk-ipc"),
// which is answered with 101 Switching Protocols. Anything else gets the
// 404 answer and ErrBadPreamble.
func readPreamble(r *bufio.Reader, w io.Writer) error {
	var pre [3]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return err
	}
	switch string(pre[:]) {
	case wire.Preamble:
		return nil
	case "GET":
		head, err := readHeaderBlock(r)
		if err != nil {
			return err
		}
		if bytes.Contains(head, []byte("Connection: Upgrade")) {
			for _, tok := range upgradeTokens {
				if bytes.Contains(head, []byte("Upgrade: "+tok)) {
					_, err := io.WriteString(w, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: "+tok+"\r\n\r\n")
					return err
				}
			}
		}
	}
	_, _ = io.WriteString(w, notFoundReply)
	return ErrBadPreamble
}

// readHeaderBlock reads up to and including the blank line that ends the
// HTTP headers.
func readHeaderBlock(r *bufio.Reader) ([]byte, error) {
	var head []byte
	for !bytes.HasSuffix(head, []byte("\r\n\r\n")) {
		if len(head) > maxUpgradeHeader {
			return nil, ErrBadPreamble
		}
		line, err := r.ReadSlice('\n')
		head = append(head, line...)
		if err != nil && err != bufio.ErrBufferFull {
			return nil, err
		}
	}
	return head, nil
}
