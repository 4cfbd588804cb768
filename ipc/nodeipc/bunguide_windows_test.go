package nodeipc_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/windows"
)

func init() { children["relay"] = relayChild }

// relayChild runs this binary again as the guide child, through the C
// runtime's _wspawnve, which passes the CRT's inherited fds on (the
// channel at fd 3 among them), as a program between a Node or Bun parent
// and its Go child would; it waits for it and prints its exit status.
func relayChild() int {
	bin, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "relay:", err)
		return 1
	}
	env := []string{childEnv + "=guide"}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, childEnv+"=") {
			env = append(env, kv)
		}
	}
	argv, err := utf16Array([]string{bin})
	if err != nil {
		fmt.Fprintln(os.Stderr, "relay:", err)
		return 1
	}
	envp, err := utf16Array(env)
	if err != nil {
		fmt.Fprintln(os.Stderr, "relay:", err)
		return 1
	}
	const pWait = 0 // _P_WAIT
	spawn := windows.NewLazySystemDLL("msvcrt.dll").NewProc("_wspawnve")
	code, _, callErr := spawn.Call(pWait, uintptr(unsafe.Pointer(argv[0])), uintptr(unsafe.Pointer(&argv[0])), uintptr(unsafe.Pointer(&envp[0])))
	if int32(code) == -1 {
		fmt.Fprintln(os.Stderr, "relay: _wspawnve:", callErr)
		return 1
	}
	fmt.Fprintf(os.Stderr, "relay: %d\n", int32(code))
	return 0
}

// utf16Array is ss as a NULL-terminated array of UTF-16 strings.
func utf16Array(ss []string) ([]*uint16, error) {
	out := make([]*uint16, 0, len(ss)+1)
	for _, s := range ss {
		p, err := windows.UTF16PtrFromString(s)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return append(out, nil), nil
}

// TestBunGuideParentGoGrandchildWindows runs the guide's parent.ts with a
// relay in the child's place that starts the Go child through the C
// runtime (which passes the channel on): the Go child's parent is the
// relay, and it finds that the channel is Bun's from the process that made
// its named pipe, and sends first.
func TestBunGuideParentGoGrandchildWindows(t *testing.T) {
	lines := runGuideParent(t, "relay")
	require.ElementsMatch(t, []string{"I am your father", "Respond to child", "Respond to child", "runtime: bun", "relay: 0"}, lines)
}
