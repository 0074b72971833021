// Command asyncgen generates Go code from AsyncAPI 2.x documents.
//
// Usage:
//
//	asyncgen generate -package NAME -out DIR [flags] SPEC...
//	asyncgen check -package NAME -out DIR [flags] SPEC...
//	asyncgen generate -config asyncgen.yaml
//	asyncgen check -config asyncgen.yaml
//	asyncgen version
//
// Run "asyncgen help" for the flags.
package main

import (
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
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
	case "generate":
		return generateCommand(args[1:], stderr)
	case "check":
		return checkCommand(args[1:], stdout, stderr)
	case "version", "-version", "--version":
		return versionCommand(stdout)
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	}
	printf(stderr, "asyncgen: unknown command %q\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	printf(w, `asyncgen generates Go types from AsyncAPI 2.x documents.

Usage:
  asyncgen generate -package NAME -out DIR [flags] SPEC...
  asyncgen check -package NAME -out DIR [flags] SPEC...
  asyncgen generate -config asyncgen.yaml
  asyncgen check -config asyncgen.yaml
  asyncgen version

generate writes the files; check compares them with what is on disk, prints
a diff and exits 1 when they are not current (2 on bad input).
Run "asyncgen generate -h" for the flags.
`)
}
