package wire_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"

	"github.com/uvpipe/uvpipe/ipc/netipc/wire"
)

// A packet written and read back, as a raw client would put it on the
// socket after the "IPC" preamble.
func ExampleAppendPacket() {
	b, err := wire.AppendPacket(nil, wire.Packet{Type: wire.PacketMessage, Data: json.RawMessage(`{"hi":1}`)})
	if err != nil {
		log.Fatal(err)
	}
	p, err := wire.NewPacketReader(bytes.NewReader(b), 0).ReadPacket()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Type == wire.PacketMessage, string(p.Data))
	// Output: true {"hi":1}
}
