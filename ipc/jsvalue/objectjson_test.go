package jsvalue

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// A received object prints and marshals as the JSON the peer would see,
// keys in order, not as the model's Go struct.
func TestObjectPrintsAndMarshalsAsJSON(t *testing.T) {
	o := NewObject("job", 1.0, "tags", []any{"a", NewObject("b", true)}, "gone", Undefined{})
	want := `{"job":1,"tags":["a",{"b":true}]}`
	b, err := json.Marshal(o)
	require.NoError(t, err)
	require.Equal(t, want, string(b))
	require.Equal(t, want, fmt.Sprint(o))
	b, err = json.Marshal(map[string]any{"m": o})
	require.NoError(t, err)
	require.Equal(t, `{"m":`+want+`}`, string(b))
}
