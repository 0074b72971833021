package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// unlinkedModules are modules the CLI must not link: kin-openapi's
// openapi3 imports santhosh-tekuri/jsonschema, whose package initialisation
// (compiling its meta-schemas) costs every run more than the rest of a
// small generation. They stay module dependencies for the differential
// tests only.
var unlinkedModules = []string{"github.com/getkin/kin-openapi", "github.com/santhosh-tekuri/jsonschema"}

// TestCLILinksNoSchemaLibraries lists the packages the CLI is built from
// and fails on any of unlinkedModules.
func TestCLILinksNoSchemaLibraries(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	for _, pkg := range strings.Fields(string(out)) {
		for _, mod := range unlinkedModules {
			require.False(t, pkg == mod || strings.HasPrefix(pkg, mod+"/"), "the CLI links %s", pkg)
		}
	}
}
