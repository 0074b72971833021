package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/asyncgen/asyncgen/internal/suggest"
)

// command is one asyncgen subcommand.
type command struct {
	name string
	// synopsis is its usage lines, one form per line.
	synopsis string
	// summary says in one line what it does.
	summary string
	// details follow the synopsis in its help.
	details string
	// flags returns its flag set for help, or nil when it takes none.
	flags func() *flag.FlagSet
	run   func(args []string, stdout, stderr io.Writer) int
}

// commands lists the subcommands in the order help shows them.
func commands() []command {
	return []command{
		{
			name:     "generate",
			synopsis: "asyncgen generate -package NAME -out DIR [flags] SPEC...\nasyncgen generate -config asyncgen.yaml",
			summary:  "write the Go files for one package, or for every package of a config file",
			details:  generateDetails,
			flags:    func() *flag.FlagSet { fs, _ := requestFlags("generate"); return fs },
			run:      generateCommand,
		},
		{
			name:     "check",
			synopsis: "asyncgen check -package NAME -out DIR [flags] SPEC...\nasyncgen check -config asyncgen.yaml",
			summary:  "compare the files generate would write with the disk; exit 1 when not current",
			details:  checkDetails,
			flags:    func() *flag.FlagSet { fs, _ := requestFlags("check"); return fs },
			run:      checkCommand,
		},
		{
			name:     "send",
			synopsis: "asyncgen send -spec SPEC [-message NAME] [-example NAME | -file F.json | -all] URL",
			summary:  "post the spec's documented examples, or a file, to a webhook endpoint",
			details:  sendDetails,
			flags:    func() *flag.FlagSet { fs, _ := sendFlags(); return fs },
			run:      sendCommand,
		},
		{
			name:     "listen",
			synopsis: "asyncgen listen -spec SPEC [-addr :8080] [-forward URL] [-record DIR]",
			summary:  "run a local endpoint that checks every request against the spec",
			details:  listenDetails,
			flags:    func() *flag.FlagSet { fs, _ := listenFlags(); return fs },
			run:      listenCommand,
		},
		{
			name:     "version",
			synopsis: "asyncgen version",
			summary:  "print the asyncgen module version in use",
			run:      versionCommand,
		},
		{
			name:     "help",
			synopsis: "asyncgen help [COMMAND]",
			summary:  "print this help, or the help of one command",
			run:      helpCommand,
		},
	}
}

func commandNames() []string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return names
}

// findCommand returns the command called name, or an error suggesting the
// closest one.
func findCommand(name string) (command, error) {
	for _, c := range commands() {
		if c.name == name {
			return c, nil
		}
	}
	if strings.HasPrefix(name, "-") {
		return command{}, fmt.Errorf("%s is a flag; flags go after the command, such as asyncgen generate %s", name, name)
	}
	return command{}, fmt.Errorf("unknown command %q%s", name, didYouMean(name, commandNames(), ""))
}

// didYouMean is ` (did you mean X?)` for the candidate closest to word,
// with prefix before it (such as "-" for flags), or "".
func didYouMean(word string, candidates []string, prefix string) string {
	if found := suggest.Closest(word, candidates); found != "" {
		return " (did you mean " + prefix + found + "?)"
	}
	return ""
}

// usage prints the list of commands.
func usage(w io.Writer) {
	printf(w, "asyncgen generates Go code from AsyncAPI 2.x and 3.x documents: types,\nvalidators, decoders, and HTTP receivers and senders for webhooks.\n\nUsage:\n")
	for _, c := range commands() {
		for _, line := range strings.Split(c.synopsis, "\n") {
			printf(w, "  %s\n", line)
		}
	}
	printf(w, "\nCommands:\n")
	for _, c := range commands() {
		printf(w, "  %-9s %s\n", c.name, c.summary)
	}
	printf(w, "\nRun \"asyncgen help COMMAND\" for the flags of one command.\n")
}

// commandHelp prints the help of one command.
func commandHelp(w io.Writer, c command) {
	printf(w, "Usage:\n")
	for _, line := range strings.Split(c.synopsis, "\n") {
		printf(w, "  %s\n", line)
	}
	printf(w, "\n%s.\n", strings.ToUpper(c.summary[:1])+c.summary[1:])
	if c.details != "" {
		printf(w, "\n%s", c.details)
	}
	if c.flags == nil {
		return
	}
	printf(w, "\nFlags (before or after the other arguments):\n")
	fs := c.flags()
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// helpCommand prints the help asked for on stdout: all commands, or the
// one named.
func helpCommand(args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		usage(stdout)
		return exitOK
	case 1:
		c, err := findCommand(args[0])
		if err != nil {
			printUsageError(stderr, "help", err)
			return exitUsage
		}
		commandHelp(stdout, c)
		return exitOK
	}
	printUsageError(stderr, "help", fmt.Errorf("help takes one command, not %d words", len(args)))
	return exitUsage
}

// printUsageError prints a usage error once, on one line, and the command
// that shows the help.
func printUsageError(stderr io.Writer, command string, err error) {
	prefix, hint := "asyncgen", "asyncgen help"
	if command != "" && command != "help" {
		prefix, hint = "asyncgen "+command, "asyncgen help "+command
	}
	printf(stderr, "%s: %v\nRun '%s' for usage.\n", prefix, err, hint)
}

func printf(w io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(w, format, args...)
}
