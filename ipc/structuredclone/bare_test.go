package structuredclone

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// barePeer is the pinned bare runtime running interop/structuredclone-peer.js
// with bare-structured-clone 1.6.0 (version 0), one request per line.
type barePeer struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

// startBare starts the peer. Without the interop install the test fails
// (saying to run npm ci in interop/), unless UVPIPE_SKIP_INTEROP=1.
func startBare(tb testing.TB) *barePeer {
	tb.Helper()
	if os.Getenv("UVPIPE_SKIP_INTEROP") == "1" {
		tb.Skip("UVPIPE_SKIP_INTEROP=1")
	}
	interop, err := filepath.Abs("../../interop")
	require.NoError(tb, err)
	bare := filepath.Join(interop, "node_modules", ".bin", "bare")
	if _, err := os.Stat(bare); err != nil {
		tb.Fatalf("the pinned bare runtime is missing (%v): run `npm ci` in interop/, or set UVPIPE_SKIP_INTEROP=1", err)
	}
	if _, err := os.Stat(filepath.Join(interop, "node_modules", "bare-structured-clone", "index.js")); err != nil {
		tb.Fatalf("bare-structured-clone is missing (%v): run `npm ci` in interop/, or set UVPIPE_SKIP_INTEROP=1", err)
	}
	cmd := exec.Command(bare, "structuredclone-peer.js")
	cmd.Dir = interop
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	require.NoError(tb, err)
	out, err := cmd.StdoutPipe()
	require.NoError(tb, err)
	require.NoError(tb, cmd.Start())
	p := &barePeer{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<16)}
	tb.Cleanup(p.close)
	return p
}

func (p *barePeer) close() {
	if p.in == nil {
		return
	}
	p.in.Close()
	p.in = nil
	_ = p.cmd.Wait()
}

// request sends one line and returns the tab-separated fields of the answer.
func (p *barePeer) request(fields ...string) ([]string, error) {
	if _, err := io.WriteString(p.in, strings.Join(fields, "\t")+"\n"); err != nil {
		return nil, err
	}
	line, err := p.out.ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("reading from bare: %w", err)
	}
	line = strings.TrimSuffix(line, "\n")
	if strings.HasPrefix(line, "E ") {
		return nil, fmt.Errorf("bare: %s", line[2:])
	}
	return strings.Split(line, "\t"), nil
}

// roundTrip asks bare to serialize the value of the JavaScript source and to
// deserialize and re-serialize goBytes. reencoded is "E:..." when bare could
// not decode goBytes.
func (p *barePeer) roundTrip(source string, goBytes []byte) (fromSource []byte, reencoded string, err error) {
	src, _ := json.Marshal(source)
	f, err := p.request("R", string(src), hex.EncodeToString(goBytes))
	if err != nil {
		return nil, "", err
	}
	if len(f) != 2 {
		return nil, "", fmt.Errorf("bare: unexpected answer %q", f)
	}
	fromSource, err = hex.DecodeString(f[0])
	return fromSource, f[1], err
}

// timing asks bare for the ns per serialize and per deserialize of the
// value data encodes, over n rounds each.
func (p *barePeer) timing(n int, data []byte) (serNs, deNs float64, err error) {
	f, err := p.request("T", fmt.Sprint(n), hex.EncodeToString(data))
	if err != nil {
		return 0, 0, err
	}
	if len(f) != 2 {
		return 0, 0, fmt.Errorf("bare: unexpected answer %q", f)
	}
	if _, err := fmt.Sscan(f[0], &serNs); err != nil {
		return 0, 0, err
	}
	_, err = fmt.Sscan(f[1], &deNs)
	return serNs, deNs, err
}
