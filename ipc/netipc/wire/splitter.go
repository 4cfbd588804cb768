package wire

import (
	"bytes"
	"fmt"
	"io"
)

// Splitter cuts a byte stream, fed read by read, into packet
// payloads, as PacketReader does from a reader.
type Splitter struct {
	buf []byte // the start of a packet not yet complete
	Max int    // the largest payload; DefaultMaxPacketSize when <= 0
}

// Feed takes the bytes of one read and calls fn with each payload it
// completes, in a slice of its own. A length tag above the limit is
// ErrPacketTooLarge: the stream cannot be read on.
func (s *Splitter) Feed(data []byte, fn func(payload []byte)) error {
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

// Pending is the number of bytes of a packet begun and not yet complete.
func (s *Splitter) Pending() int { return len(s.buf) }

// tag reads the length tag at the start of b: the payload's length and the
// tag's, 0 when b ends before the tag does.
func (s *Splitter) tag(b []byte) (n, tagLen int, err error) {
	limit := s.Max
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

// FeedPackets is the body of a read callback: it feeds a read's bytes (or
// takes its error) and calls fn with each packet they complete, or the
// *PacketError of one that does not parse. It returns how the stream
// ended, nil while it goes on: io.ErrUnexpectedEOF (wrapped) for an end
// inside a packet.
func (s *Splitter) FeedPackets(data []byte, err error, fn func(Packet, error)) error {
	if err == io.EOF && len(s.buf) > 0 {
		return fmt.Errorf("netipc: the stream ended inside a packet (%d bytes of it received): %w", len(s.buf), io.ErrUnexpectedEOF)
	}
	if err != nil {
		return err
	}
	return s.Feed(data, func(payload []byte) { fn(parsePacket(payload)) })
}
