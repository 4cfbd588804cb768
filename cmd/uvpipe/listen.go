package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/uvpipe/uvpipe/pipe"
)

func init() {
	commands["listen"] = command{summary: "listen on a unix socket, accept one connection, bridge it to stdin/stdout", run: runListen}
}

// runListen is `uvpipe listen PATH`: nc -lU on pipe.Listen.
func runListen(args []string) error {
	f := newFlags("listen", "PATH", 1, 1, describe(`Listen on the unix socket PATH, accept one connection
(then remove the socket file), and bridge it to stdin and stdout as 'nc -lU'
does.`+bridgeAbout))
	ipc, verbose := bridgeFlags(f, "when listening and who connected")
	operands, err := f.parse(args)
	if err != nil {
		return err
	}
	path := operands[0]
	it := catchInterrupts()
	defer it.stop()
	srv, err := pipe.ServerConfig{Config: pipe.Config{IPC: *ipc}}.Listen(path)
	if err != nil {
		return explainListen(path, err)
	}
	it.closes(srv)
	if *verbose {
		fmt.Fprintf(os.Stderr, "uvpipe: listening on %s\n", srv.Addr())
	}
	p, err := srv.AcceptPipe()
	srv.Close()
	if ierr := it.interrupted(); ierr != nil {
		if err == nil {
			p.Close()
		}
		return ierr
	}
	if err != nil {
		return err
	}
	defer p.Close()
	return bridgeStd(p, *verbose, it)
}

// bridgeStd bridges p with stdin and stdout until either side ends or it
// interrupts, saying first who the peer is when verbose. An interrupt's
// status wins over the bridge's error.
func bridgeStd(p *pipe.Pipe, verbose bool, it *interrupter) error {
	if verbose {
		reportPeer(p)
	}
	ends := stdEnds()
	ends.stop = it.ctx.Done()
	err := bridge(p, ends)
	if ierr := it.interrupted(); ierr != nil {
		return ierr
	}
	return err
}

// reportPeer says on stderr which process is at the other end of p.
func reportPeer(p *pipe.Pipe) {
	if cred, err := p.PeerCred(); err == nil {
		fmt.Fprintf(os.Stderr, "uvpipe: connected to pid %d (uid %d)\n", cred.PID, cred.UID)
	} else {
		fmt.Fprintln(os.Stderr, "uvpipe: connected")
	}
}

// explainListen adds to err, an error listening on path, what libuv's
// EACCES may mean: libuv reports a directory of path that does not exist as
// EACCES (permission denied), not ENOENT as bind(2) does, so the error says
// which directory is missing.
func explainListen(path string, err error) error {
	if !errors.Is(err, syscall.EACCES) {
		return err
	}
	dir := filepath.Dir(path)
	if _, serr := os.Stat(dir); !errors.Is(serr, fs.ErrNotExist) {
		return err
	}
	return fmt.Errorf("%w (the directory %s does not exist; libuv reports that as permission denied)", err, dir)
}
