package nodejson

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeBasics(t *testing.T) {
	v, err := Decode([]byte(`{"b":1,"2":2,"a":[true,null,"\ud83d\ude00\ud800x"],"b":4,"1":-0}`))
	require.NoError(t, err)
	out, err := Marshal(v)
	require.NoError(t, err)
	assert.Equal(t, `{"1":0,"2":2,"b":4,"a":[true,null,"😀\ud800x"]}`, string(out))
}
