package jsc

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
)

// zeroUpToCap reports whether every entry of p up to its capacity is the
// zero value, so that a kept state refers to nothing of a past Decode.
func zeroUpToCap[T comparable](p []T) bool {
	var zero T
	for _, v := range p[:cap(p)] {
		if v != zero {
			return false
		}
	}
	return true
}

// TestDecodeStateKeepsNothingOfItsValue decodes into one state, resets it
// as Decode does before pooling it, and checks that the state refers to
// nothing of the input or of the values decoded, after a Decode that
// succeeded and after ones that failed midway.
func TestDecodeStateKeepsNothingOfItsValue(t *testing.T) {
	whole, err := Marshal(benchMessage())
	require.NoError(t, err)
	inputs := [][]byte{whole}
	for _, cut := range []int{len(whole) / 3, len(whole) / 2, len(whole) - 1} {
		inputs = append(inputs, whole[:cut])
	}
	s := new(decState)
	for i, in := range inputs {
		s.data, s.maxDepth = in, DefaultMaxDepth
		v, err := s.top()
		if i == 0 {
			require.NoError(t, err)
			require.NotNil(t, v)
		} else {
			require.Error(t, err, "input cut at %d bytes", len(in))
		}
		require.NotZero(t, cap(s.strs)+cap(s.objs), "the decode used no pool")
		s.reset(err != nil)
		require.Nil(t, s.data)
		require.Zero(t, len(s.strs)+len(s.strBoxes)+len(s.objs)+len(s.propStack)+len(s.elemStack))
		require.True(t, zeroUpToCap(s.strs), "string pool")
		require.True(t, zeroUpToCap(s.strBoxes), "string boxes")
		require.True(t, zeroUpToCap(s.objs), "object pool")
		for _, p := range s.propStack[:cap(s.propStack)] {
			require.Zero(t, p, "property stack")
		}
		for _, e := range s.elemStack[:cap(s.elemStack)] {
			require.Zero(t, e, "element stack")
		}
		for _, oa := range s.spare {
			require.Zero(t, *oa, "spare open array")
		}
	}
}

// TestDecodeSharesNoMutableValueBetweenCalls decodes one message twice and
// changes the first result: the second must not see it (pooled state, boxed
// strings and numbers are shared only where immutable).
func TestDecodeSharesNoMutableValueBetweenCalls(t *testing.T) {
	p, err := Marshal([]any{"a", "a", 7.0, []any{"a"}})
	require.NoError(t, err)
	first, err := Decode(p)
	require.NoError(t, err)
	second, err := Decode(p)
	require.NoError(t, err)
	require.Equal(t, first, second)
	first.([]any)[0] = "changed"
	first.([]any)[3].([]any)[0] = "changed"
	require.Equal(t, []any{"a", "a", 7.0, []any{"a"}}, second)
}

// TestDecodedSiblingsDoNotShareCapacity appends to decoded property and
// element lists: values decoded side by side are carved from shared chunks,
// and an append must never write into a neighbour.
func TestDecodedSiblingsDoNotShareCapacity(t *testing.T) {
	in := []any{
		jsvalue.NewObject("a", 1.0), jsvalue.NewObject("b", 2.0),
		[]any{"x"}, []any{"y"},
	}
	p, err := Marshal(in)
	require.NoError(t, err)
	v, err := Decode(p)
	require.NoError(t, err)
	got := v.([]any)
	first := got[0].(*jsvalue.Object)
	first.Props = append(first.Props, jsvalue.Property{Key: "c", Value: 3.0})
	list := got[2].([]any)
	_ = append(list, "z")
	require.Equal(t, jsvalue.NewObject("b", 2.0), got[1])
	require.Equal(t, []any{"y"}, got[3])
}
