package channel_test

import (
	"testing"

	"github.com/uvpipe/uvpipe/uv/uvtest"
)

func TestMain(m *testing.M) { uvtest.Main(m) }
