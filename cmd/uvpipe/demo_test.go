package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
	"github.com/uvpipe/uvpipe/uv/uvtest"
)

func TestMain(m *testing.M) { uvtest.Main(m) }

func TestDemoRuns(t *testing.T) {
	require.NoError(t, runDemo([]string{"-n", "200"}))
	require.Eventually(t, func() bool { return uv.Default().HandleCount() == 0 }, 5e9, 1e6,
		"the demo leaves no handle on the default loop")
}
