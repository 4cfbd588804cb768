package main

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/uv"
)

// The command list names every subcommand but the hidden ones, from
// `uvpipe help`, -h and --help alike.
func TestHelpListsCommands(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		code, out, errOut := runCLI(t, "", args...)
		require.Equal(t, 0, code, "%v", args)
		require.Empty(t, errOut, "%v", args)
		for _, name := range visibleCommands {
			require.Regexp(t, `(?m)^  `+name+` +\S`, out, "%v lists %s", args, name)
		}
		require.NotContains(t, out, "demo-child", "hidden commands are not listed")
		require.NotContains(t, out, "bench-peer", "hidden commands are not listed")
		require.Contains(t, out, "A command\nthat signal n ends exits 128+n", "the exit statuses are listed")
		require.Contains(t, out, "127 when the command is not found")
	}
}

// visibleCommands are the commands the list shows.
var visibleCommands = []string{"bench", "connect", "demo", "fork", "help", "listen", "ping", "publish", "request", "send", "serve", "subscribe", "version"}

// Every subcommand prints its help on stdout with -h, --help and through
// `uvpipe help NAME`, and exits 0.
func TestSubcommandHelp(t *testing.T) {
	for _, name := range visibleCommands {
		for _, args := range [][]string{{name, "-h"}, {name, "--help"}, {"help", name}} {
			code, out, errOut := runCLI(t, "", args...)
			require.Equal(t, 0, code, "%v", args)
			require.Empty(t, errOut, "%v", args)
			require.Regexp(t, `^usage: uvpipe `+name+`\b.*\n\n\S`, out, "%v: a synopsis, then what it does", args)
		}
	}
	_, out, _ := runCLI(t, "", "listen", "-h")
	require.Contains(t, out, "-ipc", "the flags are listed")
	_, out, _ = runCLI(t, "", "fork", "-h")
	require.Contains(t, out, `{"$type":"bigint","value":"123"}`, "fork's help documents the typed JSON")
	require.Contains(t, out, "-serialization")
}

// Called wrongly, the command says so in one line on stderr, prints nothing
// on stdout, and exits 2.
func TestBadUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		says string
	}{
		{nil, "no command given"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"listen"}, "listen: missing PATH"},
		{[]string{"connect", "a", "b"}, `connect: unexpected argument "b"`},
		{[]string{"connect", "-x", "a"}, "connect: flag provided but not defined: -x"},
		{[]string{"listen", "a", "--nope"}, "listen: flag provided but not defined: -nope"},
		{[]string{"demo", "-n", "many"}, `demo: invalid value "many" for flag -n`},
		{[]string{"demo", "-n", "0"}, "demo: -n must be at least 1"},
		{[]string{"demo", "extra"}, `demo: unexpected argument "extra"`},
		{[]string{"help", "frobnicate"}, `help: unknown command "frobnicate"`},
		{[]string{"help", "demo-child"}, `help: unknown command "demo-child"`},
	} {
		code, out, errOut := runCLI(t, "", tc.args...)
		require.Equal(t, 2, code, "%v: %s", tc.args, errOut)
		require.Empty(t, out, "%v", tc.args)
		requireOneLine(t, errOut)
		require.Contains(t, errOut, tc.says, "%v", tc.args)
	}
}

// Flags may follow the positional arguments, and "--" ends the flags.
func TestFlagsAfterOperands(t *testing.T) {
	f := newFlags("x", "A B", 2, 2, "")
	v := f.Bool("v", false, "")
	ops, err := f.parse([]string{"a", "-v", "--", "-b"})
	require.NoError(t, err)
	require.True(t, *v)
	require.Equal(t, []string{"a", "-b"}, ops)
}

// version prints uvpipe's version and the version of the libuv it runs on.
func TestVersion(t *testing.T) {
	code, out, errOut := runCLI(t, "", "version")
	require.Equal(t, 0, code, errOut)
	require.Empty(t, errOut)
	require.Regexp(t, `^uvpipe \S.*, built with go\S+ for \w+/\w+\nlibuv `+regexp.QuoteMeta(uv.Version())+`\n$`, out)
	require.Regexp(t, `^1\.\d+\.\d+`, uv.Version())
}
