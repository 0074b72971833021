package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// modulePath is the module asyncgen is built from.
const modulePath = "github.com/asyncgen/asyncgen"

// develVersion is what the go tool records for a build from a checkout.
const develVersion = "(devel)"

// versionCommand prints the module version; it takes no arguments.
func versionCommand(args []string, stdout, stderr io.Writer) int {
	rest, err := parseFlags(flag.NewFlagSet("version", flag.ContinueOnError), args)
	switch {
	case errors.Is(err, errHelp):
		c, _ := findCommand("version")
		commandHelp(stdout, c)
		return exitOK
	case err != nil:
		printUsageError(stderr, "version", err)
		return exitUsage
	case len(rest) > 0:
		printUsageError(stderr, "version", fmt.Errorf("version takes no arguments (got %s)", strings.Join(rest, " ")))
		return exitUsage
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = nil
	}
	printf(stdout, "asyncgen %s\n", moduleVersion(bi))
	return exitOK
}

// moduleVersion finds asyncgen's module version in the build info: the main
// module's when asyncgen was built as one (go install, go run pkg@version),
// or the dependency's when a consumer module built it (go tool, go run
// with a require). A replaced module shows its replacement the way
// go version -m does; a build from a checkout is "(devel)".
func moduleVersion(bi *debug.BuildInfo) string {
	if bi == nil {
		return develVersion
	}
	mod := &bi.Main
	if mod.Path != modulePath {
		mod = nil
		for _, dep := range bi.Deps {
			if dep.Path == modulePath {
				mod = dep
				break
			}
		}
	}
	if mod == nil || mod.Version == "" {
		return develVersion
	}
	version := mod.Version
	if r := mod.Replace; r != nil {
		version += " => " + r.Path
		if r.Version != "" {
			version += " " + r.Version
		}
	}
	return version
}
