package pipe_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/uvpipe/uvpipe/pipe"
)

// PipeName maps a path as @isdk/ipc-server and net-ipc do on Windows (one
// leading '/' off, '/' to '-', \\.\pipe\ in front) and keeps a name that is
// already a named pipe's.
func TestPipeNameMapsAsTheNodePackages(t *testing.T) {
	for in, want := range map[string]string{
		"/tmp/app.sock":          `\\.\pipe\tmp-app.sock`,
		"myapp":                  `\\.\pipe\myapp`,
		"/myapp":                 `\\.\pipe\myapp`,
		"//double":               `\\.\pipe\-double`,
		"a/b/c":                  `\\.\pipe\a-b-c`,
		`C:\run\app.sock`:        `\\.\pipe\C:\run\app.sock`,
		`\\.\pipe\already`:       `\\.\pipe\already`,
		`\\?\pipe\long\form`:     `\\?\pipe\long\form`,
		`\\.\PIPE\upper`:         `\\.\PIPE\upper`,
		`\\.\pipe\`:              `\\.\pipe\\\.\pipe\`,
		`\\.\pipes\not-a-prefix`: `\\.\pipe\\\.\pipes\not-a-prefix`,
		"":                       "",
	} {
		assert.Equal(t, want, pipe.PipeName(in), "PipeName(%q)", in)
	}
	assert.True(t, pipe.IsPipeName(`\\.\pipe\x`))
	assert.False(t, pipe.IsPipeName(`\\.\pipe\`))
	assert.False(t, pipe.IsPipeName("/tmp/x"))
}
