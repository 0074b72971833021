package main

import (
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestModuleVersion(t *testing.T) {
	for _, c := range []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{name: "no build info", bi: nil, want: "(devel)"},
		{name: "checkout", bi: &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "(devel)"}}, want: "(devel)"},
		{name: "go install @version", bi: &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "v1.2.3"}}, want: "v1.2.3"},
		{name: "go tool in a consumer module", bi: &debug.BuildInfo{
			Main: debug.Module{Path: "example.com/app", Version: "(devel)"},
			Deps: []*debug.Module{{Path: "github.com/dave/jennifer", Version: "v1.7.1"}, {Path: modulePath, Version: "v0.4.0"}},
		}, want: "v0.4.0"},
		{name: "replaced by a directory", bi: &debug.BuildInfo{
			Main: debug.Module{Path: "example.com/app"},
			Deps: []*debug.Module{{Path: modulePath, Version: "v0.0.0", Replace: &debug.Module{Path: "../asyncgen", Version: "(devel)"}}},
		}, want: "v0.0.0 => ../asyncgen (devel)"},
		{name: "replaced by a fork", bi: &debug.BuildInfo{
			Main: debug.Module{Path: "example.com/app"},
			Deps: []*debug.Module{{Path: modulePath, Version: "v0.4.0", Replace: &debug.Module{Path: "example.com/fork", Version: "v0.4.1"}}},
		}, want: "v0.4.0 => example.com/fork v0.4.1"},
		{name: "not in the build", bi: &debug.BuildInfo{Main: debug.Module{Path: "example.com/app"}}, want: "(devel)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, moduleVersion(c.bi))
		})
	}
}

func TestVersionCommand(t *testing.T) {
	code, stdout, stderr := runCLI("version")
	require.Equal(t, exitOK, code, stderr)
	bi, _ := debug.ReadBuildInfo()
	require.Equal(t, "asyncgen "+moduleVersion(bi)+"\n", stdout)
	require.True(t, strings.HasPrefix(stdout, "asyncgen "), stdout)
}
