package jsvalue

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Assign into an `any`, or into a map or slice of `any`, gives plain Go
// maps and slices all the way down, as encoding/json's Unmarshal does.
func TestAssignIntoAnyIsPlainAllTheWayDown(t *testing.T) {
	src := NewObject("job", NewObject("id", 1.0, "tags", []any{"a", NewObject("b", true)}))
	want := map[string]any{"job": map[string]any{"id": 1.0, "tags": []any{"a", map[string]any{"b": true}}}}

	var v any
	require.NoError(t, Assign(src, &v))
	require.Equal(t, want, v)

	var m map[string]any
	require.NoError(t, Assign(src, &m))
	require.Equal(t, want, m)

	var s []any
	require.NoError(t, Assign([]any{src}, &s))
	require.Equal(t, []any{want}, s)
}
