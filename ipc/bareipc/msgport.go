package bareipc

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/uvpipe/uvpipe/ipc/nodejson"
	"github.com/uvpipe/uvpipe/ipc/structuredclone"
)

// Encoding is how a MessagePort encodes its messages.
type Encoding int

// The encodings of a MessagePort.
const (
	// StructuredClone is bare-structured-clone version 0 (the 1.x packages,
	// what the registry's Bare runtime runs), with serializeWithTransfer's
	// TRANSFER wrapper: the default.
	StructuredClone Encoding = iota
	// StructuredCloneV1 is bare-structured-clone version 1 (the 2.x
	// packages).
	StructuredCloneV1
	// JSONText is JSON.stringify's text (package nodejson).
	JSONText
)

// MessagePort sends and receives whole messages over a byte stream (a
// connected Port, a pipe, any io.ReadWriter). Each message is framed as
//
//	uint32 length, big-endian | payload of that many bytes
//
// and the payload is the value encoded as the Encoding says. The Bare side is
// the module interop/uvpipe-msgport.js (see the package documentation).
// Send and Recv are each safe for concurrent use.
type MessagePort struct {
	rw       io.ReadWriter
	encoding Encoding
	max      int

	wmu sync.Mutex
	rmu sync.Mutex
	r   *bufio.Reader
	err error // the first error that broke the framing; every Recv after returns it
}

// DefaultMaxMessageSize is the largest message a MessagePort accepts unless
// NewMessagePort is given another bound.
const DefaultMaxMessageSize = 64 << 20

// NewMessagePort frames messages over rw in the given encoding, with
// messages of at most maxSize bytes (0: DefaultMaxMessageSize).
func NewMessagePort(rw io.ReadWriter, enc Encoding, maxSize int) *MessagePort {
	if maxSize <= 0 {
		maxSize = DefaultMaxMessageSize
	}
	return &MessagePort{rw: rw, encoding: enc, max: maxSize, r: bufio.NewReader(rw)}
}

// Send encodes v and writes it as one message.
func (m *MessagePort) Send(v any) error {
	payload, err := m.encode(v)
	if err != nil {
		return err
	}
	if len(payload) > m.max {
		return fmt.Errorf("bareipc: message of %d bytes is over the limit of %d", len(payload), m.max)
	}
	frame := make([]byte, 4, 4+len(payload))
	binary.BigEndian.PutUint32(frame, uint32(len(payload)))
	frame = append(frame, payload...)
	m.wmu.Lock()
	defer m.wmu.Unlock()
	_, err = m.rw.Write(frame)
	return err
}

func (m *MessagePort) encode(v any) ([]byte, error) {
	switch m.encoding {
	case StructuredClone:
		return structuredclone.Marshal(v)
	case StructuredCloneV1:
		e := structuredclone.Encoder{Version: structuredclone.Version1}
		return e.Marshal(v)
	case JSONText:
		return nodejson.Marshal(v)
	}
	return nil, fmt.Errorf("bareipc: no encoding %d", m.encoding)
}

// ErrFrame is wrapped by the errors of a message stream that can no longer
// be read: a length over the limit, or a stream that ended inside a message.
var ErrFrame = errors.New("bareipc: broken message framing")

// Recv reads the next message and decodes it into the jsvalue model. It
// returns io.EOF at a clean end between messages. A message that does not
// decode is an error and the next Recv reads the next message; a broken
// frame ends the port (ErrFrame).
func (m *MessagePort) Recv() (any, error) {
	payload, err := m.next()
	if err != nil {
		return nil, err
	}
	switch m.encoding {
	case StructuredClone, StructuredCloneV1:
		var d structuredclone.Decoder
		d.MaxSize = m.max
		return d.Decode(payload)
	case JSONText:
		return nodejson.Decode(payload)
	}
	return nil, fmt.Errorf("bareipc: no encoding %d", m.encoding)
}

// RecvInto reads the next message into dst, as encoding/json's Unmarshal.
func (m *MessagePort) RecvInto(dst any) error {
	payload, err := m.next()
	if err != nil {
		return err
	}
	switch m.encoding {
	case StructuredClone, StructuredCloneV1:
		var d structuredclone.Decoder
		d.MaxSize = m.max
		return d.Unmarshal(payload, dst)
	case JSONText:
		return nodejson.Unmarshal(payload, dst)
	}
	return fmt.Errorf("bareipc: no encoding %d", m.encoding)
}

// next reads one frame's payload.
func (m *MessagePort) next() ([]byte, error) {
	m.rmu.Lock()
	defer m.rmu.Unlock()
	if m.err != nil {
		return nil, m.err
	}
	var hdr [4]byte
	if _, err := io.ReadFull(m.r, hdr[:]); err != nil {
		if err == io.ErrUnexpectedEOF {
			err = fmt.Errorf("%w: the stream ended inside a length: %w", ErrFrame, io.ErrUnexpectedEOF)
		}
		m.err = err
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if uint64(n) > uint64(m.max) {
		m.err = fmt.Errorf("%w: a message of %d bytes is over the limit of %d", ErrFrame, n, m.max)
		return nil, m.err
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(m.r, payload); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		m.err = fmt.Errorf("%w: the stream ended inside a message: %w", ErrFrame, err)
		return nil, m.err
	}
	return payload, nil
}
