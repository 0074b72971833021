package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// sloppySpec breaks two rules a lenient run forgives: a message trait
// carries a payload, and an unknown field sits in info.
const sloppySpec = `asyncapi: 2.6.0
info: {title: T, version: '1', owner: me}
channels:
  orders:
    publish:
      message:
        name: order
        payload: {type: object, properties: {id: {type: string}}}
        traits: [{payload: {type: integer}}]
`

func writeSpec(t *testing.T, text string) (dir, spec string) {
	t.Helper()
	dir = t.TempDir()
	spec = filepath.Join(dir, "api.yaml")
	require.NoError(t, os.WriteFile(spec, []byte(text), 0o644))
	return dir, spec
}

func TestStrictRefusesWhatLenientForgives(t *testing.T) {
	dir, spec := writeSpec(t, sloppySpec)
	out := filepath.Join(dir, "out")
	code, _, stderr := runCLI("generate", "-package", "orders", "-out", out, spec)
	require.Equal(t, exitError, code)
	require.Equal(t, "asyncgen: "+spec+`:2:32 (#/info/owner): unknown field "owner" in info (it may have contact, description, license, termsOfService, title, version, and x- extensions)`+"\n", stderr)
	_, err := os.Stat(out)
	require.True(t, os.IsNotExist(err), "nothing written")
}

func TestLenientWarnsAndGenerates(t *testing.T) {
	dir, spec := writeSpec(t, sloppySpec)
	out := filepath.Join(dir, "out")
	code, _, stderr := runCLI("generate", "-lenient", "-package", "orders", "-out", out, spec)
	require.Equal(t, exitOK, code, stderr)
	require.Equal(t, spec+`:2:32 (#/info/owner): warning: unknown field "owner" in info (it may have contact, description, license, termsOfService, title, version, and x- extensions)`+"\n"+
		spec+`:9:19 (#/channels/orders/publish/message/traits/0/payload): warning: a message trait cannot carry "payload": only the message itself gives its payload`+"\n", stderr)
	types, err := os.ReadFile(filepath.Join(out, "types.gen.go"))
	require.NoError(t, err)
	require.Contains(t, string(types), "type OrderPayload struct {\n\tID *string", "the message keeps its own payload, not the trait's")

	code, stdout, stderr := runCLI("check", "-lenient", "-package", "orders", "-out", out, spec)
	require.Equal(t, exitOK, code, stderr)
	require.Empty(t, stdout)
	require.Contains(t, stderr, "warning: unknown field \"owner\"")
}

func TestLenientFromConfig(t *testing.T) {
	dir, _ := writeSpec(t, sloppySpec)
	configPath := filepath.Join(dir, "asyncgen.yaml")
	require.NoError(t, os.WriteFile(configPath, []byte("packages:\n  - package: orders\n    out: out\n    spec: api.yaml\n    lenient: true\n"), 0o644))
	code, _, stderr := runCLI("generate", "-config", configPath)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stderr, "(#/info/owner): warning: unknown field")
	_, err := os.Stat(filepath.Join(dir, "out", "types.gen.go"))
	require.NoError(t, err)
}

func TestOperationWithoutMessageWarns(t *testing.T) {
	dir, spec := writeSpec(t, `asyncapi: 2.6.0
info: {title: T, version: '1'}
channels:
  orders:
    publish:
      message: {name: order, payload: {type: object, properties: {id: {type: string}}}}
  pings:
    subscribe: {operationId: ping}
`)
	code, _, stderr := runCLI("generate", "-package", "orders", "-out", filepath.Join(dir, "out"), spec)
	require.Equal(t, exitOK, code, stderr)
	require.Equal(t, spec+":8:16 (#/channels/pings/subscribe): warning: subscribe operation has no message: nothing is generated for it\n", stderr)
}

func TestNothingGeneratedIsSaid(t *testing.T) {
	dir, spec := writeSpec(t, "asyncapi: 2.6.0\ninfo: {title: T, version: '1'}\nchannels: {}\n")
	code, _, stderr := runCLI("generate", "-package", "empty", "-out", filepath.Join(dir, "out"), spec)
	require.Equal(t, exitOK, code, stderr)
	require.Equal(t, "asyncgen: nothing generated for package empty: "+spec+" declares no messages and no schemas\n", stderr)
	code, _, stderr = runCLI("check", "-package", "empty", "-out", filepath.Join(dir, "out"), spec)
	require.Equal(t, exitOK, code, stderr)
	require.Equal(t, "asyncgen check: nothing generated for package empty: "+spec+" declares no messages and no schemas\n", stderr)
}

func TestMapOfMessagesRefused(t *testing.T) {
	dir, spec := writeSpec(t, `asyncapi: 2.6.0
info: {title: T, version: '1'}
channels:
  lights:
    publish:
      message:
        lightMeasured: {payload: {type: object}}
        turnOn: {payload: {type: object}}
`)
	out := filepath.Join(dir, "out")
	code, _, stderr := runCLI("generate", "-package", "lights", "-out", out, spec)
	require.Equal(t, exitError, code)
	require.Contains(t, stderr, "asyncgen: "+spec+`:7:9 (#/channels/lights/publish/message/lightMeasured): unknown field "lightMeasured" in a message`)
}
