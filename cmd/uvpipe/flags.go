package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// errHelpShown is returned by parse when the arguments asked for help and it
// was printed: the command ends with status 0.
var errHelpShown = errors.New("help shown")

// usageError is a command called wrongly: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// usageErrorf makes a usageError.
func usageErrorf(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// flags is a subcommand's flag set, with what its help says: the positional
// arguments it takes and what it does.
type flags struct {
	*flag.FlagSet
	name     string // the subcommand
	operands string // its positional arguments, as the synopsis shows them ("PATH")
	about    string // what it does, a paragraph
	min, max int    // how many positional arguments it takes
}

// newFlags makes the flag set of subcommand name, taking between min and max
// positional arguments described by operands.
func newFlags(name, operands string, min, max int, about string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parse reports errors itself, in one line
	f := &flags{FlagSet: fs, name: name, operands: operands, about: about, min: min, max: max}
	fs.Usage = func() {} // parse prints the help when asked, never on errors
	return f
}

// printUsage writes the subcommand's help to w.
func (f *flags) printUsage(w io.Writer) {
	synopsis := "uvpipe " + f.name
	hasFlags := false
	f.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		synopsis += " [flags]"
	}
	if f.operands != "" {
		synopsis += " " + f.operands
	}
	fmt.Fprintf(w, "usage: %s\n\n%s\n", synopsis, f.about)
	if hasFlags {
		fmt.Fprintln(w, "\nflags:")
		f.SetOutput(w)
		f.PrintDefaults()
		f.SetOutput(io.Discard)
	}
}

// parse parses args, where flags may come before or after the positional
// arguments (up to a "--"), and returns the positional ones. Asking for help
// prints it and returns errHelpShown; anything wrong is a usageError.
func (f *flags) parse(args []string) ([]string, error) {
	var operands []string
	for {
		if err := f.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				f.printUsage(os.Stdout)
				return nil, errHelpShown
			}
			return nil, usageErrorf("%s: %v (see 'uvpipe %s -h')", f.name, err, f.name)
		}
		rest := f.Args()
		if len(rest) == 0 {
			break
		}
		if len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			operands = append(operands, rest...)
			break
		}
		operands = append(operands, rest[0])
		args = rest[1:]
	}
	switch {
	case len(operands) < f.min:
		return nil, usageErrorf("%s: missing %s (see 'uvpipe %s -h')", f.name, f.operands, f.name)
	case len(operands) > f.max:
		return nil, usageErrorf("%s: unexpected argument %q (see 'uvpipe %s -h')", f.name, operands[f.max], f.name)
	}
	return operands, nil
}

// describe wraps text at about 76 columns, for the about paragraphs.
func describe(text string) string {
	var b strings.Builder
	col := 0
	for _, w := range strings.Fields(text) {
		if col > 0 && col+1+len(w) > 76 {
			b.WriteByte('\n')
			col = 0
		} else if col > 0 {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += len(w)
	}
	return b.String()
}

// parseCommand parses the flags up to the first positional argument (or a
// "--") and returns that argument and all that follows it untouched: a
// command line for a child, whose flags are its own.
func (f *flags) parseCommand(args []string) ([]string, error) {
	if err := f.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			f.printUsage(os.Stdout)
			return nil, errHelpShown
		}
		return nil, usageErrorf("%s: %v (see 'uvpipe %s -h')", f.name, err, f.name)
	}
	if f.NArg() == 0 {
		return nil, usageErrorf("%s: missing %s (see 'uvpipe %s -h')", f.name, f.operands, f.name)
	}
	return f.Args(), nil
}
