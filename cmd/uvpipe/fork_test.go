package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/uvpipe/uvpipe/internal/interop"
)

// forkNode starts `uvpipe fork [flags] node testdata/fork-child.js role`.
func forkNode(t *testing.T, role string, flags ...string) *proc {
	t.Helper()
	node := interop.Node(t)
	return start(t, append(append([]string{"fork"}, flags...), "--", node, "testdata/fork-child.js", role)...)
}

// say writes lines to the command's stdin.
func (p *proc) say(t *testing.T, lines ...string) {
	t.Helper()
	_, err := io.WriteString(p.stdin, strings.Join(lines, "\n")+"\n")
	require.NoError(t, err)
}

// json mode with a node child: each stdin line arrives as a message (the
// child echoes it), a line that does not parse and a value json cannot carry
// are each reported in one stderr line and skipped, and uvpipe exits with
// the child's status.
func TestForkNodeJSON(t *testing.T) {
	p := forkNode(t, "echo")
	p.waitStdout(t, "{\"hello\":\"node\"}\n")
	p.say(t, `{"a":1,"b":[1,null,"x"],"c":{"d":true}}`)
	p.waitStdout(t, "{\"hello\":\"node\"}\n{\"a\":1,\"b\":[1,null,\"x\"],\"c\":{\"d\":true}}\n")
	p.say(t, "{not json", `{"$type":"bigint","value":"5"}`, `{"when":{"$type":"Date","value":"2024-01-02T03:04:05.678Z"}}`)
	p.waitStdout(t, "{\"hello\":\"node\"}\n{\"a\":1,\"b\":[1,null,\"x\"],\"c\":{\"d\":true}}\n{\"when\":\"2024-01-02T03:04:05.678Z\"}\n")
	p.say(t, `{"exit":4}`)
	require.Equal(t, 4, p.exit(t))
	errLines := strings.Split(strings.TrimSuffix(p.stderr.String(), "\n"), "\n")
	require.Len(t, errLines, 2, "stderr: %s", p.stderr.String())
	assert.Regexp(t, `^uvpipe: fork: stdin line 2 not sent: nodejson: `, errLines[0])
	assert.Regexp(t, `^uvpipe: fork: stdin line 3 not sent: .*BigInt`, errLines[1])
}

// advanced mode with a node child, its channel at fd 5: every annotated
// type crosses as itself and comes back printed as it was written; with
// --disconnect the end of stdin disconnects, and the child, exiting 0 on
// disconnect, makes uvpipe exit 0.
func TestForkNodeAdvancedRoundTrip(t *testing.T) {
	p := forkNode(t, "echo", "--serialization", "advanced", "--fd", "5", "--disconnect")
	p.waitStdout(t, "{\"hello\":\"node\"}\n")
	want := "{\"hello\":\"node\"}\n"
	for _, v := range forkAdvancedValues {
		p.say(t, v)
		want += v + "\n"
		p.waitStdout(t, want)
	}
	p.stdin.Close()
	require.Equal(t, 0, p.exit(t), "stderr: %s", p.stderr.String())
	require.Empty(t, p.stderr.String())
}

// forkAdvancedValues are stdin lines of every annotated type, each printed
// back as it was written when the child echoes it.
var forkAdvancedValues = []string{
	`{"big":{"$type":"bigint","value":"-12345678901234567890"},"u":{"$type":"undefined"}}`,
	`{"$type":"Map","entries":[["a",1],[2,{"$type":"Set","values":["x",{"$type":"number","value":"NaN"}]}]]}`,
	`[{"$type":"Date","value":"2024-01-02T03:04:05.678Z"},{"$type":"Buffer","base64":"aGk="},{"$type":"Float64Array","base64":"AAAAAAAA8D8="}]`,
	`{"$type":"RegExp","source":"a+","flags":"gi"}`,
	`{"$type":"object","value":{"$type":"mine","n":{"$type":"number","value":"-Infinity"}}}`,
	`{"$type":"Error","name":"RangeError","message":"m","stack":"RangeError: m\n    at x"}`,
}

// advanced mode with a bun child (Bun's framing and JavaScriptCore's format,
// chosen because CMD is bun): every annotated type crosses as itself and
// comes back printed as it was written; with --disconnect the end of stdin
// ends the child.
func TestForkBunAdvancedRoundTrip(t *testing.T) {
	p := start(t, "fork", "--serialization", "advanced", "--disconnect", "--", interop.Bun(t), "testdata/fork-child.js", "echo")
	p.waitStdout(t, "{\"hello\":\"bun\"}\n")
	want := "{\"hello\":\"bun\"}\n"
	for _, v := range forkAdvancedValues {
		p.say(t, v)
		want += v + "\n"
		p.waitStdout(t, want)
	}
	p.stdin.Close()
	require.Equal(t, 0, p.exit(t), "stderr: %s", p.stderr.String())
	require.Empty(t, p.stderr.String())
}

// A bun child in advanced mode sends every value JSON lacks: each is printed
// with its annotation, as from a node child.
func TestForkBunAdvancedValues(t *testing.T) {
	p := start(t, "fork", "--serialization", "advanced", "--keep-open", "--", interop.Bun(t), "testdata/fork-child.js", "values")
	p.stdin.Close()
	require.Equal(t, 0, p.exit(t), "stderr: %s", p.stderr.String())
	lines := strings.Split(strings.TrimSuffix(p.stdout.String(), "\n"), "\n")
	require.Len(t, lines, 2, "stdout: %s", p.stdout.String())
	assert.Equal(t, forkValuesLine, lines[0])
	assert.Equal(t, `{"done":true}`, lines[1])
}

// forkValuesLine is the line printed for the message of fork-child.js's
// values role.
const forkValuesLine = `{"$type":"object","value":{"big":{"$type":"bigint","value":"12345678901234567890"},` +
	`"date":{"$type":"Date","value":"2024-01-02T03:04:05.678Z"},"map":{"$type":"Map","entries":[["a",1],[2,"b"]]},` +
	`"set":{"$type":"Set","values":["x",1]},"buf":{"$type":"Buffer","base64":"aGk="},"u16":{"$type":"Uint16Array","base64":"AQACAA=="},` +
	`"undef":{"$type":"undefined"},"re":{"$type":"RegExp","source":"a+","flags":"gi"},"nan":{"$type":"number","value":"NaN"},` +
	`"inf":{"$type":"number","value":"-Infinity"},"err":{"$type":"Error","name":"TypeError","message":"bad","stack":"TypeError: bad\n    at test"},` +
	`"$type":"mine"}}`

// A node child sends every value JSON lacks, and then a listening server: the
// values are printed with their annotations, the handle is reported in a
// line of its own before its message (and closed), and the channel stays
// open past the end of stdin until the child disconnects (--keep-open, the
// default, is still accepted).
func TestForkNodeValuesAndHandle(t *testing.T) {
	p := forkNode(t, "values", "--serialization", "advanced", "--keep-open")
	p.stdin.Close()
	require.Equal(t, 0, p.exit(t), "stderr: %s", p.stderr.String())
	lines := strings.Split(strings.TrimSuffix(p.stdout.String(), "\n"), "\n")
	require.Len(t, lines, 3, "stdout: %s", p.stdout.String())
	assert.Equal(t, forkValuesLine, lines[0])
	if runtime.GOOS == "windows" {
		// A received handle is described by its kind only there (handles_windows.go).
		regexpMatch(t, `^\{"\$type":"handle","handleType":"net.Server","socket":"a tcp handle \(listening\)"\}$`, lines[1])
		regexpMatch(t, `^\{"port":\d+\}$`, lines[2])
		return
	}
	m := regexpMatch(t, `^\{"\$type":"handle","handleType":"net.Server","socket":"a tcp handle \(listening on 127\.0\.0\.1:(\d+)\)"\}$`, lines[1])
	assert.Equal(t, `{"port":`+m[1]+`}`, lines[2], "the message that came with the handle follows its report")
}

// A bun child speaks the same channel in json mode: a message goes both
// ways, and uvpipe exits with bun's status.
func TestForkBunChild(t *testing.T) {
	p := start(t, "fork", "--", interop.Bun(t), "testdata/fork-child.js", "echo")
	p.waitStdout(t, "{\"hello\":\"bun\"}\n")
	p.say(t, `{"a":[1,"x",{"b":null}]}`)
	p.waitStdout(t, "{\"hello\":\"bun\"}\n{\"a\":[1,\"x\",{\"b\":null}]}\n")
	p.say(t, `{"exit":5}`)
	require.Equal(t, 5, p.exit(t), "stderr: %s", p.stderr.String())
	assert.Empty(t, p.stderr.String())
}

// A child that exits before reading anything: uvpipe exits with its status,
// and a line sent after the end is reported once, not fatal.
func TestForkChildExitsEarly(t *testing.T) {
	p := forkNode(t, "early")
	require.Equal(t, 3, p.exit(t), "stderr: %s", p.stderr.String())
	assert.Empty(t, p.stdout.String())
}

// A child that never opens the channel (sh, waiting for a file the test
// creates): the lines sent wait in the socket unread, and uvpipe exits with
// the child's status once it exits; a line it could no longer send (had the
// child gone first) is reported once.
func TestForkChildWithoutChannel(t *testing.T) {
	skipOnWindows(t, "it runs its child through sh")
	flag := filepath.Join(t.TempDir(), "go")
	p := start(t, "fork", "sh", "-c", `while [ ! -e "$0" ]; do sleep 0.01; done; exit 6`, flag)
	p.say(t, `{"a":1}`, `"two"`)
	require.NoError(t, os.WriteFile(flag, nil, 0o600))
	require.Equal(t, 6, p.exit(t), "stderr: %s", p.stderr.String())
	assert.Empty(t, p.stdout.String())
	assert.Regexp(t, `^(|uvpipe: fork: the channel is closed: stdin line \d and those after it are not sent\n)$`, p.stderr.String())
}

// A child that writes a line that is not JSON on its channel (sh, writing
// to fd 3 itself): the line is reported in one stderr line and the next
// message still arrives.
func TestForkChildSendsBadLine(t *testing.T) {
	skipOnWindows(t, "it runs its child through sh")
	code, out, errOut := runCLI(t, "", "fork", "sh", "-c", `printf '{bad\n{"ok":1}\n' >&3`)
	require.Equal(t, 0, code, "stderr: %s", errOut)
	assert.Equal(t, "{\"ok\":1}\n", out)
	requireOneLine(t, errOut)
	assert.Contains(t, errOut, "uvpipe: fork: received: ")
}

// A child killed by a signal: uvpipe exits with 128+n and says so in one
// line; SIGTERM sent to uvpipe itself is passed on to the child.
func TestForkChildKilled(t *testing.T) {
	skipOnWindows(t, "Windows cannot send SIGINT or SIGTERM to another process (os.Process.Signal sends only Kill there)")
	p := forkNode(t, "echo")
	p.waitStdout(t, "{\"hello\":\"node\"}\n")
	p.say(t, `{"kill":"SIGKILL"}`)
	require.Equal(t, 128+9, p.exit(t))
	requireOneLine(t, p.stderr.String())
	assert.Contains(t, p.stderr.String(), "was killed by signal 9")

	p = forkNode(t, "echo")
	p.waitStdout(t, "{\"hello\":\"node\"}\n")
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
	require.Equal(t, 128+15, p.exit(t))
	assert.Contains(t, p.stderr.String(), "was killed by signal 15")
}

func TestForkBadArguments(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"fork"}, 2, "fork: missing [--] CMD"},
		{[]string{"fork", "--serialization", "xml", "true"}, 2, `--serialization must be json or advanced, not "xml"`},
		{[]string{"fork", "--runtime", "deno", "true"}, 2, `--runtime must be node or bun, not "deno"`},
		{[]string{"fork", "--fd", "2", "true"}, 2, "--fd must be 3 or more"},
		{[]string{"fork", "--nope", "true"}, 2, "flag provided but not defined: -nope"},
		{[]string{"fork", "--linger", "-1s", "true"}, 2, "--linger must not be negative"},
		{[]string{"fork", "/nonexistent/program"}, 127, syscall.ENOENT.Error()},
		{[]string{"fork", "no-such-command-uvpipe"}, 127, "executable file not found"},
		{[]string{"fork", "testdata/fork-child.js"}, 126, "permission denied"},
	} {
		if runtime.GOOS == "windows" && tc.code == 126 {
			continue // no execute permission bit there: a .js file is refused by uv_spawn otherwise
		}
		code, out, errOut := runCLI(t, "", tc.args...)
		assert.Equal(t, tc.code, code, "%v: %s", tc.args, errOut)
		assert.Empty(t, out, "%v", tc.args)
		requireOneLine(t, errOut)
		assert.Contains(t, errOut, tc.says, "%v", tc.args)
	}
}

// The shell pipeline people write: the end of stdin comes long before the
// worker answers, and the answer is printed (a Node parent does not
// disconnect unless asked, and neither does uvpipe fork).
func TestForkStdinEndKeepsChannel(t *testing.T) {
	skipOnWindows(t, "it runs its child through sh")
	node := interop.Node(t)
	cmd := exec.Command("sh", "-c", `echo '{"job":1}' | "$0" fork -- "$1" testdata/fork-child.js worker`, os.Args[0], node)
	cmd.Env = cliEnviron()
	p := startCmd(t, cmd)
	require.Equal(t, 0, p.exit(t), "stderr: %s", p.stderr.String())
	assert.Equal(t, "{\"done\":1}\n", p.stdout.String())
	assert.Empty(t, p.stderr.String())
}

// --disconnect, and --linger which implies it: the end of stdin disconnects
// the channel (at once, or once the linger has passed) and the echo child,
// exiting 0 on disconnect, ends; a linger the child outlives by exiting
// first ends with the child, its answer printed.
func TestForkDisconnectAndLinger(t *testing.T) {
	for _, flags := range [][]string{{"--disconnect"}, {"--linger", "10ms"}, {"--disconnect", "--linger", "1ms"}} {
		p := forkNode(t, "echo", flags...)
		p.waitStdout(t, "{\"hello\":\"node\"}\n")
		p.stdin.Close()
		require.Equal(t, 0, p.exit(t), "%v: stderr: %s", flags, p.stderr.String())
		assert.Empty(t, p.stderr.String(), "%v", flags)
	}
	p := forkNode(t, "worker", "--linger", "1h")
	p.say(t, `{"job":7}`)
	p.stdin.Close()
	require.Equal(t, 0, p.exit(t), "stderr: %s", p.stderr.String())
	assert.Equal(t, "{\"done\":7}\n", p.stdout.String())
}
