package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// Exit codes.
const (
	exitOK      = 0 // the command did its job (or printed the help asked for)
	exitFailure = 1 // the command failed while running
	exitUsage   = 2 // the command was called wrongly
	// exitCannotRun and exitNotFound are fork's, as a shell's, when the
	// command it was given cannot be executed, or is not found.
	exitCannotRun = 126
	exitNotFound  = 127
	// exitSignal plus n is the status of a command that signal n ended (as
	// a shell reports it): 130 for SIGINT, 143 for SIGTERM.
	exitSignal = 128
)

// command is one subcommand: a one-line summary for the command list, and a
// run function that parses its own arguments (see newFlags).
type command struct {
	summary string
	hidden  bool // left out of the command list (helpers uvpipe runs itself)
	run     func(args []string) error
}

// commands are the subcommands by name; it is filled in by init functions of
// the files that implement them, and by help.go.
var commands = map[string]command{}

func main() { os.Exit(run(os.Args[1:])) }

// run runs the command line args (without the program name) and returns the
// exit code.
func run(args []string) int {
	if len(args) == 0 {
		return fail(usageErrorf("no command given (see 'uvpipe help')"))
	}
	name := args[0]
	if name == "-h" || name == "-help" || name == "--help" {
		name = "help"
	}
	cmd, ok := commands[name]
	if !ok {
		return fail(usageErrorf("unknown command %q (see 'uvpipe help')", args[0]))
	}
	return fail(cmd.run(args[1:]))
}

// fail reports err on stderr, in one line, and returns the exit code it
// calls for.
func fail(err error) int {
	var usage *usageError
	var status *exitStatus
	switch {
	case err == nil, errors.Is(err, errHelpShown):
		return exitOK
	case errors.As(err, &status):
		if status.msg != "" {
			fmt.Fprintln(os.Stderr, "uvpipe:", status.msg)
		}
		return status.code
	case errors.As(err, &usage):
		fmt.Fprintln(os.Stderr, "uvpipe:", oneLine(err))
		return exitUsage
	default:
		fmt.Fprintln(os.Stderr, "uvpipe:", oneLine(err))
		return exitFailure
	}
}

// exitStatus ends a command with a status of its choosing (fork exits with
// its child's), and a line on stderr unless msg is empty.
type exitStatus struct {
	code int
	msg  string
}

func (e *exitStatus) Error() string { return fmt.Sprintf("exit status %d: %s", e.code, e.msg) }

// oneLine is err's message on one line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
