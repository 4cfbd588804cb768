package netipc

import (
	"bytes"
	"errors"

	"github.com/uvpipe/uvpipe/pipe"
)

// packetSplitter cuts a byte stream, fed read by read, into packet
// payloads, as PacketReader does from a reader.
type packetSplitter struct {
	buf []byte // the start of a packet not yet complete
	max int
}

// feed takes the bytes of one read and calls fn with each payload it
// completes, in a slice of its own. A length tag above the limit is
// ErrPacketTooLarge: the stream cannot be read on.
func (s *packetSplitter) feed(data []byte, fn func(payload []byte)) error {
	if len(s.buf) > 0 {
		s.buf = append(s.buf, data...)
		data = s.buf
	}
	for len(data) > 0 {
		n, tag, err := s.tag(data)
		if err != nil {
			return err
		}
		if tag == 0 || len(data)-tag < n {
			break
		}
		payload := bytes.Clone(data[tag : tag+n])
		data = data[tag+n:]
		fn(payload)
	}
	s.buf = append(s.buf[:0], data...)
	return nil
}

// tag reads the length tag at the start of b: the payload's length and the
// tag's, 0 when b ends before the tag does.
func (s *packetSplitter) tag(b []byte) (n, tagLen int, err error) {
	limit := s.max
	if limit <= 0 {
		limit = DefaultMaxPacketSize
	}
	for i, c := range b {
		var done bool
		if n, done, err = addTagByte(n, i, c, limit); err != nil || done {
			return n, i + 1, err
		}
	}
	if len(b) >= maxTagBytes {
		return 0, 0, ErrPacketTooLarge
	}
	return 0, 0, nil
}

// feedPackets is the body of a read callback: it feeds a read's bytes (or
// takes its error) and calls fn with each packet they complete, or the
// *PacketError of one that does not parse. It returns how the stream
// ended, nil while it goes on.
func (s *packetSplitter) feedPackets(data []byte, err error, fn func(Packet, error)) error {
	if err != nil {
		return err
	}
	return s.feed(data, func(payload []byte) { fn(parsePacket(payload)) })
}

// readOnLoop switches p to the event style with fn as its read callback,
// after calling fn with held, the bytes a reader had already taken from
// the stream: those come before any the stream still holds, which OnRead
// hands over at once (and the end, if the reader already met it), so both
// happen under one hold of the loop.
func readOnLoop(p *pipe.Pipe, held []byte, fn func([]byte, error)) error {
	var err error
	derr := p.UV().Loop().Do(func() {
		if len(held) > 0 {
			fn(held, nil)
		}
		err = p.OnRead(fn)
	})
	return errors.Join(derr, err)
}
