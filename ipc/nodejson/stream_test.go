package nodejson

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

func TestEncoderWritesLines(t *testing.T) {
	var buf bytes.Buffer
	enc := NewEncoder(&buf)
	require.NoError(t, enc.Encode("hi"))
	require.NoError(t, enc.Encode(1))
	require.NoError(t, enc.Encode(map[string]any{"b": 1, "a": []byte{1}}))
	assert.ErrorIs(t, enc.Encode(jsvalue.Undefined{}), ErrUndefined)
	assert.Equal(t, "\"hi\"\n1\n{\"a\":{\"type\":\"Buffer\",\"data\":[1]},\"b\":1}\n", buf.String())
}

func TestDecoderSplitsAnywhere(t *testing.T) {
	input := "{\"s\":\"é😀\"}\n[1,2]\n\"\u2028\"\n"
	want := []string{`{"s":"é😀"}`, `[1,2]`, "\"\u2028\""}
	// One byte at a time through a reader.
	dec := NewDecoder(iotest.OneByteReader(strings.NewReader(input)))
	for _, w := range want {
		v, err := dec.DecodeValue()
		require.NoError(t, err)
		got, err := Marshal(v)
		require.NoError(t, err)
		assert.Equal(t, w, string(got))
	}
	_, err := dec.DecodeValue()
	assert.Equal(t, io.EOF, err)

	// Fed in every possible two-part split.
	for cut := 0; cut <= len(input); cut++ {
		dec := NewDecoder(nil)
		var got []string
		for _, part := range []string{input[:cut], input[cut:]} {
			_, _ = dec.Write([]byte(part))
			for {
				v, err := dec.DecodeValue()
				if errors.Is(err, ErrIncomplete) {
					break
				}
				require.NoError(t, err)
				b, _ := Marshal(v)
				got = append(got, string(b))
			}
		}
		assert.Equal(t, want, got, "cut at %d", cut)
	}
}

func TestDecoderRecoversAfterBadLine(t *testing.T) {
	dec := NewDecoder(strings.NewReader("1\n{bad\n\n2\n3"))
	var n int
	require.NoError(t, dec.Decode(&n))
	assert.Equal(t, 1, n)

	var se *SyntaxError
	require.ErrorAs(t, dec.Decode(&n), &se)
	assert.Equal(t, int64(2), se.Line)
	assert.Equal(t, int64(2), se.LineOffset)
	assert.Equal(t, int64(1), se.Offset)

	require.ErrorAs(t, dec.Decode(&n), &se, "an empty line is an error, as JSON.parse('') throws")
	assert.Equal(t, int64(3), se.Line)
	assert.Contains(t, se.Error(), "Unexpected end of JSON input")

	require.NoError(t, dec.Decode(&n))
	assert.Equal(t, 2, n)
	assert.Equal(t, io.ErrUnexpectedEOF, dec.Decode(&n), "a partial line at the end")
}

// countingReader fails the test if more than limit bytes are read.
type countingReader struct {
	r     io.Reader
	read  int
	limit int
	t     *testing.T
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += n
	if c.read > c.limit {
		c.t.Errorf("read %d bytes, more than %d", c.read, c.limit)
	}
	return n, err
}

func TestDecoderLineLimit(t *testing.T) {
	long := `"` + strings.Repeat("x", 5000) + `"`
	cr := &countingReader{r: strings.NewReader(long + "\n7\n"), limit: 1200, t: t}
	dec := NewDecoder(cr)
	dec.SetMaxLineLength(1000)
	var le *LimitError
	_, err := dec.DecodeValue()
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "line length", le.Limit)
	assert.Equal(t, int64(1), le.Line)
	cr.limit = 1 << 20
	v, err := dec.DecodeValue()
	require.NoError(t, err)
	assert.Equal(t, 7.0, v)

	// Fed by Write, the same.
	dec = NewDecoder(nil)
	dec.SetMaxLineLength(1000)
	for i := 0; i < len(long); i += 700 {
		_, _ = dec.Write([]byte(long[i:min(i+700, len(long))]))
		_, err := dec.DecodeValue()
		if !errors.Is(err, ErrIncomplete) {
			require.ErrorAs(t, err, &le)
		}
	}
	_, _ = dec.Write([]byte("\n8\n"))
	v, err = dec.DecodeValue()
	require.NoError(t, err)
	assert.Equal(t, 8.0, v)
}

func TestDepthLimit(t *testing.T) {
	deep := strings.Repeat("[", DefaultMaxDepth+1) + strings.Repeat("]", DefaultMaxDepth+1)
	var le *LimitError
	_, err := Decode([]byte(deep))
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "depth", le.Limit)
	_, err = Decode([]byte(deep[1 : len(deep)-1]))
	require.NoError(t, err)

	dec := NewDecoder(strings.NewReader("[[[1]]]\n[[1]]\n"))
	dec.SetMaxDepth(2)
	_, err = dec.DecodeValue()
	require.ErrorAs(t, err, &le)
	_, err = dec.DecodeValue()
	require.NoError(t, err)
}
