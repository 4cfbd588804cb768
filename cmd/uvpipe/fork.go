package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"github.com/uvpipe/uvpipe/ipc/nodeipc"
)

func init() {
	commands["fork"] = command{summary: "start a command with a Node-style IPC channel, as JSON lines on stdin/stdout", run: runFork}
}

// forkAbout is fork's help.
var forkAbout = describe(`Start CMD with a Node-style IPC channel, as
child_process.fork does (NODE_CHANNEL_FD and NODE_CHANNEL_SERIALIZATION_MODE
in its environment), and bridge the channel to JSON lines. Each line on stdin
is sent as one message; each message CMD sends is printed on stdout as one
line. The end of stdin leaves the channel open, as a Node parent does: CMD's
replies keep coming until CMD disconnects or exits, so 'echo LINE | uvpipe
fork -- node worker.js' prints what the worker answers. With --disconnect the
end of stdin disconnects the channel, as disconnect() does, once --linger has
passed (at once by default; --linger alone implies --disconnect, as socat's
-t does): what CMD sends after that is lost, as it is for a Node parent that
disconnects. A message that comes with a handle (a socket) is printed after a line
{"$type":"handle","handleType":"net.Server","socket":"..."} saying what it
was; the handle is then closed. CMD's own stdout and stderr go to stderr, so
that stdout holds only messages; its stdin is empty. A stdin line that does
not parse, or that the serialization cannot carry (a BigInt in json mode),
is reported on stderr in one line and skipped; lines left once the channel is
closed are reported once and dropped. uvpipe fork exits with CMD's status,
or 128+n when signal n ended it (SIGINT and SIGTERM sent to uvpipe fork are
passed on to CMD), or as a shell does 127 when CMD is not found and 126 when
it cannot be executed.`) + "\n\n" + describe(typedJSONAbout) + "\n\n" + describe(`In json mode the messages are JSON.stringify's text both ways, so
what CMD sends never needs an annotation (but a "$type" key of its own), and
what is sent goes through JSON.stringify's rules: a Date becomes its string,
undefined in an object is dropped, a Map or Set becomes {}, and a BigInt is
refused (the line is reported, not sent). In advanced mode every type above
crosses as itself; with a bun CMD that is Bun's own advanced mode
(JavaScriptCore's format in Bun's framing), chosen because CMD is Bun's
executable or because CMD's first bytes are Bun's, or by --runtime bun.`)

// runFork is `uvpipe fork [flags] CMD [ARGS]`.
func runFork(args []string) error {
	f := newFlags("fork", "[--] CMD [ARGS...]", 1, 1, forkAbout)
	mode := f.String("serialization", "json", "json or advanced, as fork's serialization option")
	fd := f.Int("fd", nodeipc.DefaultFD, "the fd number of CMD's end of the channel (3 or more)")
	runtime := f.String("runtime", "", "node or bun: whose advanced format CMD speaks (empty: detect from CMD and its first bytes)")
	disconnect := f.Bool("disconnect", false, "disconnect the channel at the end of stdin (after --linger)")
	linger := f.Duration("linger", 0, "with --disconnect (which it implies), how long the channel stays open after the end of stdin")
	keepOpen := f.Bool("keep-open", true, "keep the channel open past the end of stdin: the default (--keep-open=false is --disconnect)")
	argv, err := f.parseCommand(args)
	if err != nil {
		return err
	}
	ser := nodeipc.Serialization(*mode)
	if ser != nodeipc.JSON && ser != nodeipc.Advanced {
		return usageErrorf("fork: --serialization must be json or advanced, not %q", *mode)
	}
	rt := nodeipc.Runtime(*runtime)
	if rt != "" && rt != nodeipc.Node && rt != nodeipc.Bun {
		return usageErrorf("fork: --runtime must be node or bun, not %q", *runtime)
	}
	if *linger < 0 {
		return usageErrorf("fork: --linger must not be negative, not %v", *linger)
	}
	if *linger > 0 || !*keepOpen {
		*disconnect = true
	}
	if *fd < 3 {
		return usageErrorf("fork: --fd must be 3 or more (0-2 are the child's stdio), not %d", *fd)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	ch, err := nodeipc.Start(cmd, nodeipc.Options{Serialization: ser, FD: *fd, Runtime: rt})
	if err != nil {
		return startFailure(err)
	}
	stopSignals := passSignals(cmd.Process)
	defer stopSignals()
	go func() {
		if sendLines(ch, os.Stdin) && *disconnect {
			disconnectAfter(ch, *linger)
		}
	}()
	printMessages(ch, os.Stdout)
	err = ch.Wait()
	return childStatus(argv[0], cmd.ProcessState, err)
}

// startFailure is fork's exit when CMD could not be started: as a shell's,
// 127 when it was not found and 126 when it could not be executed.
func startFailure(err error) error {
	msg := "fork: " + oneLine(err)
	switch {
	case errors.Is(err, exec.ErrNotFound), errors.Is(err, fs.ErrNotExist):
		return &exitStatus{code: exitNotFound, msg: msg}
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.ENOEXEC):
		return &exitStatus{code: exitCannotRun, msg: msg}
	}
	return fmt.Errorf("fork: %w", err)
}

// passSignals passes SIGINT and SIGTERM on to p until stop is called.
func passSignals(p *os.Process) (stop func()) {
	sig := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		for {
			select {
			case s := <-sig:
				p.Signal(s)
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(sig)
		close(done)
	}
}

// childStatus turns how the child ended into fork's own exit.
func childStatus(name string, st *os.ProcessState, waitErr error) error {
	if st == nil {
		return fmt.Errorf("fork: %w", waitErr)
	}
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return &exitStatus{code: exitSignal + int(ws.Signal()), msg: fmt.Sprintf("fork: %s was killed by signal %d (%v)", name, int(ws.Signal()), ws.Signal())}
	}
	if code := st.ExitCode(); code != 0 {
		return &exitStatus{code: code}
	}
	return nil
}

// sendLines sends each line of in as a message until in ends (it returns
// true) or the channel is closed (false). The end of in leaves the channel
// open.
func sendLines(ch *nodeipc.Channel, in io.Reader) bool {
	r := bufio.NewReaderSize(in, 64<<10)
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if line = bytes.TrimSpace(line); len(line) > 0 {
			if !sendLine(ch, line, n) {
				return false
			}
		}
		if err != nil {
			return true
		}
	}
}

// disconnectAfter disconnects ch once linger has passed, unless it ends
// first.
func disconnectAfter(ch *nodeipc.Channel, linger time.Duration) {
	if linger > 0 {
		t := time.NewTimer(linger)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ch.Done():
			return
		}
	}
	ch.Disconnect()
}

// sendLine sends one stdin line, reporting on stderr why it could not be;
// it returns false once the channel is closed.
func sendLine(ch *nodeipc.Channel, line []byte, n int) bool {
	v, err := readTypedJSON(line)
	if err == nil {
		err = ch.Send(v)
	}
	switch {
	case errors.Is(err, nodeipc.ErrChannelClosed), errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNRESET):
		fmt.Fprintf(os.Stderr, "uvpipe: fork: the channel is closed: stdin line %d and those after it are not sent\n", n)
		return false
	case err != nil:
		fmt.Fprintf(os.Stderr, "uvpipe: fork: stdin line %d not sent: %s\n", n, oneLine(err))
	}
	return true
}

// printMessages prints each message received as a line of typed JSON, until
// the channel ends.
func printMessages(ch *nodeipc.Channel, out io.Writer) {
	var last error
	for {
		m, err := ch.Recv(context.Background())
		if errors.Is(err, io.EOF) || errors.Is(err, nodeipc.ErrChannelClosed) || errors.Is(err, syscall.ECONNRESET) {
			return // the child disconnected, or exited leaving messages unread
		}
		if err != nil {
			if err == last { // the error that ended the channel, again
				return
			}
			last = err
			fmt.Fprintf(os.Stderr, "uvpipe: fork: received: %s\n", oneLine(err))
			continue
		}
		if m.Handle != nil {
			printHandle(out, m)
		}
		line, err := typedJSON(m.Value)
		if err != nil {
			fmt.Fprintf(os.Stderr, "uvpipe: fork: a message could not be printed: %s\n", oneLine(err))
			continue
		}
		out.Write(append(line, '\n'))
	}
}

// printHandle prints the line that reports the handle that came with m, and
// closes the handle.
func printHandle(out io.Writer, m nodeipc.Message) {
	line, _ := json.Marshal(struct {
		Type       string `json:"$type"`
		HandleType string `json:"handleType"`
		Socket     string `json:"socket"`
	}{"handle", m.Handle.Kind().NodeType(), describeHandle(m.Handle)})
	m.Handle.Close()
	out.Write(append(line, '\n'))
}
