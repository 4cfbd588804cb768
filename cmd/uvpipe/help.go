package main

import (
	"fmt"
	"os"
	"sort"
)

func init() {
	commands["help"] = command{summary: "show the commands, or one command's help", run: runHelp}
}

// runHelp prints the list of commands, or with a command's name that
// command's help.
func runHelp(args []string) error {
	f := newFlags("help", "[COMMAND]", 0, 1, "Show uvpipe's commands, or what COMMAND does and its flags.")
	operands, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(operands) == 1 {
		cmd, ok := commands[operands[0]]
		if !ok || cmd.hidden {
			return usageErrorf("help: unknown command %q (see 'uvpipe help')", operands[0])
		}
		return cmd.run([]string{"-h"})
	}
	printCommands()
	return nil
}

// printCommands writes the command list to stdout.
func printCommands() {
	fmt.Println("uvpipe: pipes, unix sockets and live handles shared the way libuv (Node, Bun, Bare) shares them.")
	fmt.Println("\nusage: uvpipe COMMAND [flags] [arguments]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n, c := range commands {
		if !c.hidden {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	for _, n := range names {
		fmt.Fprintf(os.Stdout, "  %-*s  %s\n", width, n, commands[n].summary)
	}
	fmt.Println("\n'uvpipe help COMMAND' or 'uvpipe COMMAND -h' shows a command's flags.")
	fmt.Print(exitStatusHelp)
}

// exitStatusHelp is what the command list says of exit statuses.
const exitStatusHelp = `
Exit status: 0 done, 1 failed while running, 2 called wrongly. A command
that signal n ends exits 128+n (130 for SIGINT, 143 for SIGTERM); listen,
connect, serve and subscribe close what they hold first. fork exits with its
child's status (128+n when signal n ended the child; SIGINT and SIGTERM are
passed on to it), 127 when the command is not found and 126 when it cannot
be executed, as a shell does.
`
