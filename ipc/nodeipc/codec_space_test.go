package nodeipc

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// feedSpace puts b into f as reads do in JSON mode (space, then grown), at
// most chunk bytes per read, and returns the decoded values and errors.
func feedSpace(t *testing.T, f *framer, b []byte, chunk int) (values []any, starts []int64) {
	t.Helper()
	for len(b) > 0 {
		dst := f.space()
		if len(dst) == 0 {
			t.Fatal("space offers no room")
		}
		n := copy(dst, b[:min(chunk, len(b))])
		f.grown(n)
		b = b[n:]
		for {
			fr, ok, fatal := f.next()
			if fatal != nil || fr.err != nil {
				t.Fatalf("fatal %v, message error %v", fatal, fr.err)
			}
			if !ok {
				break
			}
			values = append(values, fr.value)
			starts = append(starts, fr.start)
		}
	}
	return values, starts
}

// TestFramerSpaceReusesItsArray: lines read straight into the framer's own
// array come out whole and in order, with their stream offsets, whatever the
// reads' sizes, also when a line is split across reads, moved to the front
// of the array or longer than it; and values already decoded keep their
// content when the array is written again.
func TestFramerSpaceReusesItsArray(t *testing.T) {
	long := strings.Repeat("x", 3*readChunk) // longer than the array
	var stream bytes.Buffer
	var want []string
	var wantStarts []int64
	for i := range 3000 {
		s := "m" + strconv.Itoa(i)
		if i%1000 == 999 {
			s = long
		}
		wantStarts = append(wantStarts, int64(stream.Len()))
		stream.WriteString(`{"n":` + strconv.Itoa(i) + `,"s":"` + s + `"}` + "\n")
		want = append(want, s)
	}
	for _, chunk := range []int{1, 7, 4096, readChunk / 4, readChunk, 1 << 20} {
		t.Run(strconv.Itoa(chunk), func(t *testing.T) {
			f := framer{mode: JSON, max: 1 << 20}
			values, starts := feedSpace(t, &f, stream.Bytes(), chunk)
			require.Len(t, values, len(want))
			require.Equal(t, wantStarts, starts)
			for i, v := range values {
				o, ok := v.(*jsvalue.Object)
				require.True(t, ok, "message %d is %T", i, v)
				n, _ := o.Get("n")
				s, _ := o.Get("s")
				require.Equal(t, float64(i), n)
				require.Equal(t, want[i], s, "message %d changed after its bytes were reused", i)
			}
			require.Empty(t, f.buf, "everything consumed")
			require.LessOrEqual(t, cap(f.space()), readChunk, "back in its own array once a long line is consumed")
		})
	}
}
