package wire

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"sync"
)

// PacketType is the t field of a net-ipc packet.
type PacketType int

// The packet types of the net-ipc / @isdk/ipc-server wire.
const (
	PacketConnection PacketType = 0
	PacketMessage    PacketType = 1
	PacketRequest    PacketType = 2
	PacketResponse   PacketType = 3
	PacketPing       PacketType = 4
	PacketPong       PacketType = 5
	PacketEnd        PacketType = 6
)

// Packet is one net-ipc packet: JSON {"t":type,"d":data,"n":nonce}, with d
// left out when Data is empty and n when Nonce is.
type Packet struct {
	Type  PacketType      `json:"t"`
	Data  json.RawMessage `json:"d,omitempty"`
	Nonce string          `json:"n,omitempty"`
}

// DefaultMaxPacketSize is the largest packet payload a Server or Client
// accepts unless its options say otherwise: 16 MiB.
const DefaultMaxPacketSize = 16 << 20

// maxTagBytes bounds the length tag; 8 groups of 7 bits are far beyond any
// size limit, and a longer tag is refused rather than read forever.
const maxTagBytes = 8

// Preamble is what a client writes first: the packet mode.
const Preamble = "IPC"

// ErrPacketTooLarge is returned for a length tag above the size limit. The
// stream cannot be resynchronised after it: the connection is closed.
var ErrPacketTooLarge = errors.New("netipc: packet exceeds the size limit")

// PacketError is a packet whose payload is not a valid packet. Its bytes
// have been consumed, so the stream stays in sync and reading can go on.
type PacketError struct {
	Payload []byte // the payload as received
	Err     error  // why it does not parse
}

func (e *PacketError) Error() string { return "netipc: bad net-ipc packet: " + e.Err.Error() }

func (e *PacketError) Unwrap() error { return e.Err }

// AppendPacketTag appends the length tag of a payload of n bytes: base-128
// groups, most significant first, the last one with its high bit set.
func AppendPacketTag(b []byte, n int) []byte {
	var tmp [binary.MaxVarintLen64]byte
	i := len(tmp) - 1
	tmp[i] = byte(n&127) | 0x80
	for n >>= 7; n > 0; n >>= 7 {
		i--
		tmp[i] = byte(n & 127)
	}
	return append(b, tmp[i:]...)
}

// AppendPacket appends p's tag and JSON encoding to b, as JSON.stringify
// writes it: {"t":…,"d":…,"n":…} with d compacted (and not HTML-escaped).
// Data that is not valid JSON is an error.
func AppendPacket(b []byte, p Packet) ([]byte, error) {
	body := packetBuffers.Get().(*bytes.Buffer)
	defer packetBuffers.Put(body)
	body.Reset()
	body.WriteString(`{"t":`)
	body.Write(strconv.AppendInt(body.AvailableBuffer(), int64(p.Type), 10))
	if len(p.Data) > 0 {
		body.WriteString(`,"d":`)
		if err := json.Compact(body, p.Data); err != nil {
			return b, fmt.Errorf("netipc: packet data: %w", err)
		}
	}
	if p.Nonce != "" {
		body.WriteString(`,"n":`)
		appendJSONString(body, p.Nonce)
	}
	body.WriteByte('}')
	return append(AppendPacketTag(b, body.Len()), body.Bytes()...), nil
}

var packetBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// appendJSONString writes s as a JSON string, as JSON.stringify does.
func appendJSONString(w *bytes.Buffer, s string) {
	plain := true
	for i := 0; i < len(s) && plain; i++ {
		plain = nonceByte(s[i])
	}
	if plain {
		w.WriteByte('"')
		w.WriteString(s)
		w.WriteByte('"')
		return
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	w.Truncate(w.Len() - 1) // Encode's newline
}

// PacketReader reads net-ipc packets from a stream.
type PacketReader struct {
	r   *bufio.Reader
	max int

	// OnPartial, when set, is called with true when the reader has begun a
	// packet and must wait for more of its bytes from the source, and with
	// false once that packet is complete (or failed): a server bounds the
	// time a packet may stay half sent with it (a read deadline). A packet
	// whose bytes are all buffered calls nothing.
	OnPartial func(partial bool)
}

// readChunk is the most a payload grows by at once: a payload's buffer
// grows as its bytes arrive, never to the announced length in advance, so
// a peer that announces a large packet and sends nothing costs nothing.
const readChunk = 64 << 10

// Buffered returns the bytes the reader has taken from its source but not
// yet returned as packets, without consuming them: a caller that switches
// to reading the source another way carries on from these.
func (pr *PacketReader) Buffered() []byte {
	b, _ := pr.r.Peek(pr.r.Buffered())
	return b
}

// NewPacketReader reads packets from r, refusing payloads above max bytes
// (DefaultMaxPacketSize when max <= 0).
func NewPacketReader(r io.Reader, max int) *PacketReader {
	if max <= 0 {
		max = DefaultMaxPacketSize
	}
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReader(r)
	}
	return &PacketReader{r: br, max: max}
}

// ReadPacket reads the next packet. A payload that is not a packet gives a
// *PacketError and the next call reads the packet after it; a length above
// the limit gives ErrPacketTooLarge without reading the payload; the end of
// the stream mid-packet is io.ErrUnexpectedEOF. The payload's buffer grows
// as its bytes arrive (by at most its size so far, and 64 KiB), so memory
// follows what the peer sent, not what it announced.
func (pr *PacketReader) ReadPacket() (Packet, error) {
	partial := false
	if pr.OnPartial != nil {
		defer func() {
			if partial {
				pr.OnPartial(false)
			}
		}()
	}
	wait := func() {
		if !partial && pr.OnPartial != nil && pr.r.Buffered() == 0 {
			partial = true
			pr.OnPartial(true)
		}
	}
	n := 0
	for i := 0; ; i++ {
		if i > 0 {
			wait()
		}
		c, err := pr.r.ReadByte()
		if err != nil {
			if i > 0 && err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return Packet{}, err
		}
		var done bool
		if n, done, err = addTagByte(n, i, c, pr.max); err != nil {
			return Packet{}, err
		}
		if done {
			break
		}
	}
	buf := make([]byte, 0, min(n, pr.r.Size(), readChunk))
	for len(buf) < n {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, min(n-len(buf), max(len(buf), 512), readChunk))
		}
		wait()
		m, err := pr.r.Read(buf[len(buf):min(cap(buf), n)])
		buf = buf[:len(buf)+m]
		if err != nil && len(buf) < n {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return Packet{}, err
		}
	}
	return parsePacket(buf)
}

// addTagByte folds c, the i-th byte of a length tag, into n, the length so
// far: done once c ends the tag. A tag longer than maxTagBytes, or a length
// above max, is ErrPacketTooLarge, found before anything is allocated.
func addTagByte(n, i int, c byte, max int) (_ int, done bool, err error) {
	if i == maxTagBytes {
		return 0, false, ErrPacketTooLarge
	}
	n = n<<7 | int(c&127)
	if n > max {
		return 0, false, fmt.Errorf("%w: %d bytes or more (limit %d)", ErrPacketTooLarge, n, max)
	}
	return n, c&0x80 != 0, nil
}

// parsePacket decodes a payload as JSON.parse would take it: an object
// with a numeric t. d may be anything; n is kept only when it is a string.
func parsePacket(buf []byte) (Packet, error) {
	if p, ok := parsePacketFast(buf); ok {
		return p, nil
	}
	return parsePacketFull(buf)
}

// parsePacketFull is parsePacket for any shape, through encoding/json.
func parsePacketFull(buf []byte) (Packet, error) {
	var raw struct {
		T *float64        `json:"t"`
		D json.RawMessage `json:"d"`
		N json.RawMessage `json:"n"`
	}
	if err := json.Unmarshal(buf, &raw); err != nil {
		return Packet{}, &PacketError{Payload: buf, Err: err}
	}
	if raw.T == nil || *raw.T != float64(int(*raw.T)) {
		return Packet{}, &PacketError{Payload: buf, Err: errors.New("no integer t field")}
	}
	p := Packet{Type: PacketType(*raw.T), Data: raw.D}
	if string(p.Data) == "null" {
		p.Data = nil
	}
	if len(raw.N) > 0 {
		var s string
		if json.Unmarshal(raw.N, &s) == nil {
			p.Nonce = s
		}
	}
	return p, nil
}
