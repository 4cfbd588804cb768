package structuredclone_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/ipc/jsvalue"
	"github.com/uvpipe/uvpipe/ipc/structuredclone"
)

// Clone copies deeply into model values: the copy shares no memory with the
// original, objects reached twice stay shared, cycles are kept, and a
// value the model cannot hold is an error.
func TestClone(t *testing.T) {
	type item struct {
		N    int
		List []int
		Blob []byte
	}
	orig := &item{N: 1, List: []int{1, 2}, Blob: []byte("ab")}
	c, err := structuredclone.Clone(orig)
	require.NoError(t, err)
	orig.N, orig.List[0], orig.Blob[0] = 2, 9, 'z'
	var back item
	require.NoError(t, jsvalue.Assign(c, &back))
	assert.Equal(t, item{N: 1, List: []int{1, 2}, Blob: []byte("ab")}, back, "the copy is as it was when cloned")
	assert.IsType(t, &jsvalue.Object{}, c)

	shared := jsvalue.NewObject("s", "shared")
	loop := jsvalue.NewObject("name", "loop")
	loop.Set("self", loop)
	c, err = structuredclone.Clone([]any{shared, shared, loop})
	require.NoError(t, err)
	arr := c.([]any)
	assert.Same(t, arr[0], arr[1], "shared objects stay shared")
	assert.NotSame(t, shared, arr[0], "as copies")
	self, _ := arr[2].(*jsvalue.Object).Get("self")
	assert.Same(t, arr[2], self, "a cycle is kept")
	assert.NotSame(t, loop, self)

	for _, v := range []any{func() {}, make(chan int), complex(1, 2), map[string]any{"f": func() {}}} {
		c, err := structuredclone.Clone(v)
		assert.Error(t, err, "%T", v)
		assert.Nil(t, c)
	}
}
