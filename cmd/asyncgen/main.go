// Command asyncgen generates Go code from AsyncAPI 2.x and 3.x documents, and
// sends and receives a spec's webhooks locally to try them.
//
// Usage:
//
//	asyncgen generate -package NAME -out DIR [flags] SPEC...
//	asyncgen check -package NAME -out DIR [flags] SPEC...
//	asyncgen generate -config asyncgen.yaml
//	asyncgen check -config asyncgen.yaml
//	asyncgen send -spec SPEC [-message NAME] [-example NAME | -file F.json | -all] URL
//	asyncgen listen -spec SPEC [-addr :8080] [-forward URL] [-record DIR]
//	asyncgen version
//	asyncgen help [COMMAND]
//
// Run "asyncgen help" for the commands, "asyncgen help COMMAND" for the
// flags of one.
package main

import (
	"io"
	"os"
	"runtime/debug"
)

// The go:generate lines of generated/ and internal/ run this command, which
// reads the tables go generate writes in templates (the support index and
// the emitters' names). go generate ./... visits packages in import-path
// order, cmd/asyncgen before those and templates after them, so the tables
// are brought up to date here first: one go generate ./... is enough after
// a change to templates/support.
//go:generate go generate ../../templates/...

func main() {
	collectLessOften()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// lessOftenGC is the garbage collector's GOGC percentage for a run: a
// generation that allocates a few megabytes then runs without a collection
// (the heap may grow to three times what is live, not two).
const lessOftenGC = 200

// collectLessOften sets lessOftenGC unless the user set GOGC.
func collectLessOften() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(lessOftenGC)
	}
}

// Exit codes: check exits exitError when the files are not current.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// run executes one asyncgen command and returns its exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		return helpCommand(args[1:], stdout, stderr)
	case "-version", "--version":
		return versionCommand(nil, stdout, stderr)
	}
	cmd, err := findCommand(args[0])
	if err != nil {
		printUsageError(stderr, "", err)
		return exitUsage
	}
	return cmd.run(args[1:], stdout, stderr)
}
