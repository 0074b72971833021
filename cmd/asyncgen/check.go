package main

import (
	"io"

	"github.com/asyncgen/asyncgen/internal/diff"
	"github.com/asyncgen/asyncgen/internal/outdir"
)

// checkCommand generates in memory and compares with the output
// directories: it prints a unified diff of every difference on stdout, names
// each file on stderr, and exits 0 when all is current, 1 when not and 2 on
// bad input. It writes nothing.
func checkCommand(args []string, stdout, stderr io.Writer) int {
	req, err := parseRequest("check", args)
	if err != nil {
		return requestError("check", err, stdout, stderr)
	}
	jobs, err := req.jobs()
	if err != nil {
		printError(stderr, "asyncgen check", err)
		return exitUsage
	}
	outputs, err := generateAll(jobs, stderr, "asyncgen check")
	if err != nil {
		printError(stderr, "asyncgen check", err)
		return exitUsage
	}
	var changes []outdir.Change
	for _, o := range outputs {
		c, err := outdir.Compare(o.dir, o.files)
		if err != nil {
			printError(stderr, "asyncgen check", err)
			return exitUsage
		}
		changes = append(changes, c...)
	}
	for _, c := range changes {
		printf(stdout, "%s", changeDiff(c))
	}
	for _, c := range changes {
		printf(stderr, "asyncgen check: %s: %s\n", c.Path, describe(c.Kind))
	}
	if len(changes) > 0 {
		printf(stderr, "asyncgen check: %d generated file(s) not current; run asyncgen generate (or go generate ./...)\n", len(changes))
		return exitError
	}
	return exitOK
}

// changeDiff renders a change as a unified diff whose --- and +++ lines
// name the file (or /dev/null), so that patch -p0 could apply it.
func changeDiff(c outdir.Change) string {
	oldName, newName := c.Path, c.Path
	switch c.Kind {
	case outdir.Missing:
		oldName = "/dev/null"
	case outdir.Stale:
		newName = "/dev/null"
	}
	return diff.Unified(oldName, newName, c.Old, c.New)
}

func describe(k outdir.Kind) string {
	switch k {
	case outdir.Missing:
		return "missing (generate would write it)"
	case outdir.Changed:
		return "changed (differs from what generate would write)"
	case outdir.Stale:
		return "stale (generated earlier; generate would remove it)"
	}
	return k.String()
}
