package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// errHelp is returned by parseFlags when -h or -help was given.
var errHelp = flag.ErrHelp

// parseFlags parses args with fs, accepting flags before, between and after
// the positional arguments (everything after "--" is positional), and
// returns the positional ones. fs prints nothing: its errors come back
// rewritten, with a suggestion for a misspelt flag.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, explainFlagError(fs, err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// explainFlagError words a flag package error for the user.
func explainFlagError(fs *flag.FlagSet, err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return errHelp
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return fmt.Errorf("unknown flag -%s%s", name, didYouMean(name, flagNames(fs), "-"))
	}
	if before, _, ok := strings.Cut(msg, ": parse error"); ok {
		return errors.New(before)
	}
	return errors.New(msg)
}

func flagNames(fs *flag.FlagSet) []string {
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	return names
}
