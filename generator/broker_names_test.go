package generator

import (
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generator/model"
)

// brokerNamesSpec has address parameters named like the locals of the
// Publish and Request methods (r, key, kb, answer), and an operation whose
// Publish method would be named like another message's.
var brokerNamesSpec = filepath.Join("..", "testdata", "golden", "broker-names", "spec.yaml")

// TestBrokerNamesTypeCheck generates brokerNamesSpec: its Publish and
// Request methods must type-check (an argument named key or r was
// declared twice, or assigned a local's value).
func TestBrokerNamesTypeCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("reads export data with the go tool")
	}
	files, err := Generate(Config{Package: "brokernames", OutDir: "out", Specs: []string{brokerNamesSpec}})
	require.NoError(t, err)
	typeCheck(t, exportImporter(t), files)
}

// TestBrokerNamesComeFromTheBuilder checks the names the builder gives
// the broker code: arguments named like a method's locals get Param after
// them, and two Publish methods that would share a name get a number.
func TestBrokerNamesComeFromTheBuilder(t *testing.T) {
	pkg, err := Build(Config{Package: "brokernames", OutDir: "out", Specs: []string{brokerNamesSpec}})
	require.NoError(t, err)
	var args, fields, methods []string
	for _, c := range pkg.Channels {
		for _, p := range c.AddressParameters {
			args, fields = append(args, p.Arg), append(fields, p.Field)
		}
		for _, pub := range c.Publications {
			methods = append(methods, pub.Message.Name+" on "+c.Name+": "+pub.PublishMethod+", "+pub.RequestMethod)
		}
	}
	require.Equal(t, []string{"rParam", "keyParam", "kbParam", "answerParam"}, args)
	require.Equal(t, []string{"R", "Key", "Kb", "Answer"}, fields)
	require.Equal(t, []string{
		"Order on shop.{r}.{key}.{kb}.{answer}: PublishTakeOrder, RequestTakeOrder",
		"Order on shop.rush: PublishOrderRush, RequestOrderRush",
		"OrderRush on shop.order-rush: PublishOrderRush2, RequestOrderRush2",
	}, methods)
}

// TestAddressParameterNames covers the other ways an address parameter
// is named: initialisms, a name that makes no identifier, a predeclared
// name, a keyword, a package-level name,
// two names that make one identifier, and an undeclared parameter.
func TestAddressParameterNames(t *testing.T) {
	b := newBuilder(&model.Package{Reserved: []string{"receiverPick"}}, newNamer(nil), nil)
	c := &model.Channel{Name: "a.{shop_id}.{2fa}.{string}.{ShopID}.{undeclared}.{receiverPick}.{type}",
		Parameters: []*model.Parameter{{Name: "shop_id", Type: &model.TypeRef{Kind: model.BuiltinRef, Name: "int64"}}}}
	var args, fields []string
	for _, p := range b.addressParameters(c) {
		args, fields = append(args, p.Arg), append(fields, p.Field)
	}
	require.Equal(t, []string{"shopID", "param2", "stringParam", "shopIDParam", "undeclared", "receiverPickParam", "typeParam"}, args)
	require.Equal(t, []string{"ShopID", "Param2", "String", "Param4", "Undeclared", "ReceiverPick", "Type"}, fields)
	require.Equal(t, "int64", b.addressParameters(c)[0].Parameter.Type.Name)
}

// pickLocalsSpec is a channel, received over HTTP and NATS, whose
// messages have no discriminator and are named like what the functions
// trying each of them use: a keyword, their arguments and variables, a
// package-level function they call, and each other's error local.
const pickLocalsSpec = `asyncapi: 2.6.0
info: {title: Pick locals, version: 1.0.0}
servers:
  hooks: {url: https://example.com/hooks, protocol: https}
  nats: {url: nats://localhost:4222, protocol: nats}
channels:
  things:
    publish:
      message:
        oneOf:
          - {name: type, payload: {type: object, required: [a], properties: {a: {type: string}}}}
          - {name: data, payload: {type: object, required: [b], properties: {b: {type: string}}}}
          - {name: receiverPick, payload: {type: object, required: [c], properties: {c: {type: string}}}}
          - {name: h, payload: {type: object, required: [d], properties: {d: {type: string}}}}
          - {name: note, payload: {type: object, required: [e], properties: {e: {type: string}}}}
          - {name: noteErr, payload: {type: object, required: [f], properties: {f: {type: string}}}}
`

// TestPickLocalsTypeCheck generates pickLocalsSpec: the locals holding
// each message stay clear of every name their functions use.
func TestPickLocalsTypeCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("reads export data with the go tool")
	}
	files, err := Generate(memoryConfig([]byte(pickLocalsSpec)))
	require.NoError(t, err)
	require.Contains(t, files, "brokers.gen.go")
	typeCheck(t, exportImporter(t), files)
	pkg, err := Build(memoryConfig([]byte(pickLocalsSpec)))
	require.NoError(t, err)
	var locals []string
	for _, m := range pkg.Messages {
		locals = append(locals, m.DecodedVar, m.DecodeErrVar)
	}
	require.Equal(t, []string{"vType", "typeErr", "vData", "dataErr", "vReceiverPick", "receiverPickErr",
		"vH", "hErr", "note", "noteErr", "vNoteErr", "noteErrErr"}, locals)
}

// TestHandlerAndSenderMethodsComeFromTheBuilder: the Handle and Send
// methods the receiver and sender declare are the names the builder
// carries in the model, a channel's Send method among them.
func TestHandlerAndSenderMethodsComeFromTheBuilder(t *testing.T) {
	spec := filepath.Join("..", "testdata", "golden", "decode-dispatch-types", "spec.yaml")
	pkg, err := Build(Config{Package: "dispatch", OutDir: t.TempDir(), Specs: []string{spec}})
	require.NoError(t, err)
	files, err := Emit(pkg, nil)
	require.NoError(t, err)
	declared := func(file, pattern string) []string {
		var out []string
		for _, m := range regexp.MustCompile(pattern).FindAllStringSubmatch(string(files[file]), -1) {
			out = append(out, m[1])
		}
		return out
	}
	var handles, sends []string
	for _, m := range pkg.Messages {
		if m.DecodeFunc != "" {
			handles = append(handles, m.HandleMethod)
			sends = append(sends, m.SendMethod)
		}
	}
	for _, c := range pkg.Channels {
		if c.Dispatch != nil && c.Dispatch.SendMethod != "" {
			sends = append(sends, c.Dispatch.SendMethod)
		}
	}
	require.NotEmpty(t, handles)
	require.ElementsMatch(t, handles, declared("receiver.gen.go", `(?m)^\t(Handle\w+)\(`))
	require.ElementsMatch(t, sends, declared("sender.gen.go", `(?m)^func \(s \*Sender\) (\w+)\(`))
}
