// Package wire is the net-ipc / @isdk/ipc-server packet format, for code
// that speaks it below package netipc's Server and Client: a raw client in
// a test, a proxy, a capture.
//
// After a client's preamble ([Preamble], or net-ipc's GET upgrade), each
// packet is a length tag (base-128 groups, most significant first, the last
// with its high bit set) and a JSON payload {"t","d","n"} ([Packet]),
// written as JSON.stringify writes it. [AppendPacket] writes one,
// [PacketReader] reads them from an io.Reader and [Splitter] cuts them out
// of reads handed over one by one. A length above the limit
// ([DefaultMaxPacketSize] unless told otherwise) is [ErrPacketTooLarge]
// before anything is allocated, and the stream cannot be read on; a payload
// that does not parse is a [*PacketError] and the stream goes on.
package wire
