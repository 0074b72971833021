package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generator/config"
)

// readmeBlock is one fenced code block of the README.
type readmeBlock struct {
	line    int    // line of the opening fence
	lang    string // the fence's info string
	section string // the heading above it
	body    string
}

// String names the block for failure messages.
func (b readmeBlock) String() string {
	return fmt.Sprintf("README.md:%d (```%s in %q)", b.line, b.lang, b.section)
}

// readmeBlocks returns every fenced block of the README at path.
func readmeBlocks(t *testing.T, path string) []readmeBlock {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var blocks []readmeBlock
	var open *readmeBlock
	section := ""
	for i, line := range strings.Split(string(data), "\n") {
		switch {
		case open == nil && strings.HasPrefix(line, "```"):
			open = &readmeBlock{line: i + 1, lang: strings.TrimPrefix(line, "```"), section: section}
		case open != nil && line == "```":
			blocks = append(blocks, *open)
			open = nil
		case open != nil:
			open.body += line + "\n"
		case strings.HasPrefix(line, "#"):
			section = strings.TrimSpace(strings.TrimLeft(line, "#"))
		}
	}
	require.Nil(t, open, "README.md ends inside a code block")
	return blocks
}

// TestREADMECodeBlocks checks every code block of the README: go blocks are
// compiled against this module, sh blocks run (generate) or have each
// command and flag checked against the real tool, yaml blocks are read by
// the config reader, and text blocks (output samples) are compared with
// real output, here or by the named test that does. A block of another
// kind, or one no check claims, fails the test.
func TestREADMECodeBlocks(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the README's Go blocks")
	}
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	blocks := readmeBlocks(t, filepath.Join(repo, "README.md"))
	require.NotEmpty(t, blocks)
	var goBlocks []readmeBlock
	for _, b := range blocks {
		switch b.lang {
		case "go":
			goBlocks = append(goBlocks, b)
			for _, line := range strings.Split(b.body, "\n") {
				if cmd, ok := strings.CutPrefix(line, "//go:generate go tool asyncgen "); ok {
					// Run in the user's package by TestConsumerModule; its flags here.
					checkAsyncgenFlags(t, b, strings.Fields(cmd))
				}
			}
		case "sh":
			checkShellBlock(t, b, repo)
		case "yaml":
			got, err := config.Parse("asyncgen.yaml", []byte(b.body))
			require.NoError(t, err, "%s", b)
			require.NotEmpty(t, got, "%s", b)
		case "text":
			checkOutputSample(t, b, repo)
		default:
			t.Errorf("%s: no check covers a block of this kind: label it go, sh, yaml or text (an output sample)", b)
		}
	}
	compileGoBlocks(t, repo, goBlocks)
}

// goFragment says how to compile a go block that is not a whole file: the
// blocks are excerpts that name things declared elsewhere.
type goFragment struct {
	marker string // a text only this block contains
	dir    string // an existing package to add the block to; a new one when empty
	decls  string // file-level declarations the excerpt assumes
	before string // statements the excerpt assumes (inside a function)
	after  string // statements that end the function
}

var goFragments = []goFragment{
	{marker: "DecodeGrowpanelWebhook(body)", before: "var body []byte", after: "_, _ = msg, err\nreturn nil"},
	{marker: "OrderPlacedHeadersFromContext(ctx)", dir: "testdata/golden/receiver-auth/want", decls: "type hooks struct{}"},
	{marker: "s.SendQuoteRequested(ctx", dir: "testdata/golden/v3-request-reply/want"},
	{marker: "monday.NewSender(", before: "var secret []byte\nvar install monday.InstallPayload", after: "return err"},
	{marker: "growpanel.Examples()", before: "var t *testing.T\nconst token = \"s\"\nreceiver := growpanel.NewReceiver(growpanel.NopHandler{}, growpanel.WithSharedSecret(token))", after: "return nil"},
	{marker: "redis.New(rdb", before: "type mrr struct{ chartmogul.NopHandler }", after: "_ = rcv\nreturn nil"},
	{marker: "chartmogul.NewInboxWorker(", decls: "type mrr struct{ chartmogul.NopHandler }\n\nfunc customerID([]byte) string { return \"\" }",
		before: "var store chartmogul.IdempotencyStore", after: "return nil"},
	// The Brokers section: one streetlights package per protocol, generated
	// under internal/brokers.
	{marker: "streetlights.NewKafkaPublisher(", decls: "import streetlights \"github.com/asyncgen/asyncgen/internal/brokers/kafkastreetlights\"\nimport \"github.com/twmb/franz-go/pkg/kgo\"",
		before: "var producer *kgo.Client\nvar h streetlights.Handler\nvar pct int64"},
	{marker: "pricing.NewKafkaRequester(", decls: "import pricing \"github.com/asyncgen/asyncgen/internal/brokers/kafkareply\"\nimport \"github.com/twmb/franz-go/pkg/kgo\"",
		before: "var producer *kgo.Client"},
	{marker: "streetlights.NewNATSJetStreamPublisher(", decls: "import streetlights \"github.com/asyncgen/asyncgen/internal/brokers/natsstreetlights\"\nimport \"github.com/nats-io/nats.go\"\nimport \"github.com/nats-io/nats.go/jetstream\"",
		before: "var h streetlights.Handler\nvar on streetlights.TurnOnOffPayloadCommand"},
	{marker: "streetlights.NewMQTTPublisher(", decls: "import streetlights \"github.com/asyncgen/asyncgen/internal/brokers/mqttstreetlights\"\nimport \"net/url\"\nimport \"github.com/eclipse/paho.golang/autopaho\"\nimport \"github.com/eclipse/paho.golang/paho\"",
		before: "var brokerURL *url.URL\nvar h streetlights.Handler\nvar pct int64"},
}

// knownImports maps the package names the README's go blocks use to their
// import paths.
var knownImports = map[string]string{
	"chartmogul":  "github.com/asyncgen/asyncgen/generated/chartmogul",
	"growpanel":   "github.com/asyncgen/asyncgen/generated/growpanel",
	"monday":      "github.com/asyncgen/asyncgen/generated/monday",
	"redis":       "github.com/asyncgen/asyncgen/store/redis",
	"sqlite":      "github.com/asyncgen/asyncgen/inbox/sqlite",
	"goredis":     "github.com/redis/go-redis/v9",
	"webhooktest": "github.com/asyncgen/asyncgen/webhooktest",
	"httptest":    "net/http/httptest",
	"testing":     "testing",
	"context":     "context",
	"errors":      "errors",
	"http":        "net/http",
	"log":         "log",
	"os":          "os",
	"time":        "time",
}

var lineComment = regexp.MustCompile(`(^|[^:])//.*`)

// imports returns the import block for the packages code uses.
func imports(code string) string {
	code = lineComment.ReplaceAllString(code, "$1")
	var lines []string
	for name, path := range knownImports {
		if regexp.MustCompile(`\b` + name + `\.`).MatchString(code) {
			lines = append(lines, fmt.Sprintf("%s %q", name, path))
		}
	}
	slices.Sort(lines)
	if len(lines) == 0 {
		return ""
	}
	return "import (\n" + strings.Join(lines, "\n") + "\n)\n"
}

// goSource returns the package directory (relative to the module) and the
// Go file that compiles block b.
func goSource(t *testing.T, b readmeBlock, n int) (dir, src string) {
	t.Helper()
	if strings.HasPrefix(b.body, "// Package ") || strings.HasPrefix(b.body, "package ") {
		return fmt.Sprintf("readme_block%d", n), b.body
	}
	if strings.HasPrefix(b.body, "//go:generate ") {
		return fmt.Sprintf("readme_block%d", n), "package readme\n\n" + b.body
	}
	var frag *goFragment
	for i := range goFragments {
		if strings.Contains(b.body, goFragments[i].marker) {
			frag = &goFragments[i]
		}
	}
	if frag == nil {
		require.Contains(t, b.body, "\nfunc main() {", "%s is an excerpt no goFragment describes", b)
		return fmt.Sprintf("readme_block%d", n), "package main\n\n" + imports(b.body) + "\n" + b.body
	}
	code := frag.decls + "\n"
	if frag.before != "" || frag.after != "" {
		code += "func readmeExcerpt(ctx context.Context) error {\n" + frag.before + "\n" + b.body + "\n" + frag.after + "\n}\n"
	} else {
		code += b.body
	}
	if frag.dir != "" {
		pkg := regexp.MustCompile(`(?m)^package (\w+)`)
		existing, err := filepath.Glob(filepath.Join(frag.dir, "*.go"))
		require.NoError(t, err)
		require.NotEmpty(t, existing, frag.dir)
		data, err := os.ReadFile(existing[0])
		require.NoError(t, err)
		return frag.dir, "package " + pkg.FindStringSubmatch(string(data))[1] + "\n\n" + imports(code) + "\n" + code
	}
	return fmt.Sprintf("readme_block%d", n), "package main\n\n" + imports(code+" context.") + "\n" + code + "\nfunc main() {}\n"
}

// compileGoBlocks builds every go block as a package of this module, added
// through a build overlay so that nothing is written into the tree.
func compileGoBlocks(t *testing.T, repo string, blocks []readmeBlock) {
	t.Helper()
	t.Chdir(repo)
	tmp := t.TempDir()
	replace := map[string]string{}
	dirs := map[string]readmeBlock{}
	for i, b := range blocks {
		dir, src := goSource(t, b, i)
		file := filepath.Join(tmp, fmt.Sprintf("block%d.go", i))
		require.NoError(t, os.WriteFile(file, []byte(src), 0o600))
		replace[filepath.Join(repo, dir, fmt.Sprintf("readme_block%d.go", i))] = file
		dirs["./"+dir] = b
	}
	overlay, err := json.Marshal(map[string]any{"Replace": replace})
	require.NoError(t, err)
	overlayFile := filepath.Join(tmp, "overlay.json")
	require.NoError(t, os.WriteFile(overlayFile, overlay, 0o600))
	for dir, b := range dirs {
		out, err := exec.Command("go", "build", "-o", os.DevNull, "-overlay", overlayFile, dir).CombinedOutput()
		require.NoError(t, err, "%s does not compile:\n%s", b, out)
	}
}

// checkShellBlock checks every command of an sh block.
func checkShellBlock(t *testing.T, b readmeBlock, repo string) {
	t.Helper()
	body := strings.ReplaceAll(b.body, "\\\n", " ")
	cwd := repo
	for _, line := range strings.Split(strings.TrimSpace(body), "\n") {
		cwd = checkShellCommands(t, b, cwd, line)
	}
}

var shellSeparator = regexp.MustCompile(`&&|;|\|`)

// checkShellCommands checks each command of one shell line run in cwd, and
// returns the directory the line leaves the shell in.
func checkShellCommands(t *testing.T, b readmeBlock, cwd, line string) string {
	t.Helper()
	for _, command := range shellSeparator.Split(line, -1) {
		args := shellWords(command)
		if i := slices.Index(args, ">"); i >= 0 {
			args = args[:i] // the output redirection
		}
		if len(args) > 0 && args[0] == "do" {
			args = args[1:]
		}
		if len(args) == 0 || args[0] == "done" || args[0] == "for" {
			continue
		}
		if args[0] == "cd" {
			require.Len(t, args, 2, "%s: %q", b, command)
			cwd = filepath.Join(cwd, args[1])
			require.DirExists(t, cwd, "%s: %q", b, command)
			continue
		}
		checkREADMECommand(t, b, cwd, args)
	}
	return cwd
}

// shellWords splits a command into words, keeping single-quoted text whole.
func shellWords(command string) []string {
	var words []string
	var word strings.Builder
	quoted, inWord := false, false
	for _, r := range command {
		switch {
		case r == '\'':
			quoted, inWord = !quoted, true
		case !quoted && (r == ' ' || r == '\t'):
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, word.String())
	}
	return words
}

// externalTools are the commands the README names that are not Go's or
// asyncgen's, with where the README says they come from.
var externalTools = map[string]string{
	"hyperfine":                              "https://github.com/sharkdp/hyperfine",
	"golang.org/x/perf/cmd/benchstat@latest": "go run fetches it",
	"asyncapi-codegen":                       "go install github.com/lerenn/asyncapi-codegen/cmd/asyncapi-codegen@v0.50.0",
}

// checkREADMECommand checks one command: its program exists and takes the flags
// given.
func checkREADMECommand(t *testing.T, b readmeBlock, cwd string, args []string) {
	t.Helper()
	switch {
	case args[0] == "asyncgen" || strings.HasSuffix(args[0], "/asyncgen"):
		checkAsyncgen(t, b, cwd, args[1:])
	case args[0] == "go" && len(args) > 2 && args[1] == "run" && args[2] == "./cmd/asyncgen":
		checkAsyncgen(t, b, cwd, args[3:])
	case args[0] == "go" && len(args) > 2 && args[1] == "tool" && args[2] == "asyncgen":
		checkAsyncgen(t, b, cwd, args[3:])
	case args[0] == "go" && len(args) > 2 && args[1] == "run" && externalTools[args[2]] != "":
	case args[0] == "go":
		checkGoCommand(t, b, args[1:])
	case strings.HasSuffix(args[0], ".test"):
		help := goHelp(t, "testflag")
		for _, a := range flagsOf(args[1:]) {
			name, ok := strings.CutPrefix(a, "-test.")
			require.True(t, ok, "%s: a test binary takes -test. flags: %q", b, a)
			require.Regexp(t, `-`+regexp.QuoteMeta(name)+`\b`, help, "%s: %s is not a test flag", b, a)
		}
	case args[0] == "git":
		// Run in a new repository: an unknown flag exits 129, a clean tree 0.
		dir := t.TempDir()
		out, err := exec.Command("git", "-C", dir, "init", "-q").CombinedOutput()
		require.NoError(t, err, "%s", out)
		out, err = exec.Command("git", append([]string{"-C", dir}, args[1:]...)...).CombinedOutput()
		require.NoError(t, err, "%s: %s: %s", b, strings.Join(args, " "), out)
	case args[0] == "rm":
		_, err := exec.LookPath(args[0])
		require.NoError(t, err, "%s", b)
	case externalTools[args[0]] != "":
		if args[0] == "hyperfine" {
			for _, a := range args[1:] {
				if strings.Contains(a, " ") { // a quoted command hyperfine runs
					checkShellCommands(t, b, cwd, a)
				}
			}
		}
	default:
		t.Errorf("%s: %q is neither a go, an asyncgen nor a listed external command", b, strings.Join(args, " "))
	}
}

// flagsOf returns the flag names (with their dash) among args.
func flagsOf(args []string) []string {
	var flags []string
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			name, _, _ := strings.Cut(a, "=")
			flags = append(flags, name)
		}
	}
	return flags
}

// goHelp returns the text of "go help topic...".
func goHelp(t *testing.T, topic ...string) string {
	t.Helper()
	out, err := exec.Command("go", append([]string{"help"}, topic...)...).CombinedOutput()
	require.NoError(t, err, "go help %v: %s", topic, out)
	return string(out)
}

// checkGoCommand checks that a go subcommand exists and documents each flag.
func checkGoCommand(t *testing.T, b readmeBlock, args []string) {
	t.Helper()
	require.NotEmpty(t, args, "%s: a bare go command", b)
	topic := []string{args[0]}
	if args[0] == "mod" {
		topic = args[:2]
	}
	help := goHelp(t, topic...)
	if args[0] == "test" {
		help += goHelp(t, "testflag")
	}
	for _, f := range flagsOf(args[len(topic):]) {
		require.Regexp(t, regexp.QuoteMeta(f)+`\b`, help, "%s: go %s has no flag %s", b, args[0], f)
	}
}

// checkAsyncgen checks an asyncgen command: the command exists and takes
// each flag; a generate command with -out is run, into a temporary
// directory.
func checkAsyncgen(t *testing.T, b readmeBlock, cwd string, args []string) {
	t.Helper()
	checkAsyncgenFlags(t, b, args)
	out := slices.Index(args, "-out")
	if args[0] != "generate" || out < 0 || slices.Contains(args, "-config") {
		return
	}
	run := slices.Clone(args)
	run[out+1] = filepath.Join(t.TempDir(), "out")
	t.Chdir(cwd)
	code, _, stderr := runCLI(run...)
	require.Equal(t, exitOK, code, "%s: asyncgen %s: %s", b, strings.Join(args, " "), stderr)
}

// checkAsyncgenFlags checks that an asyncgen command exists and takes each
// flag args give it.
func checkAsyncgenFlags(t *testing.T, b readmeBlock, args []string) {
	t.Helper()
	require.NotEmpty(t, args, "%s: asyncgen without a command", b)
	code, help, stderr := runCLI("help", args[0])
	require.Equal(t, exitOK, code, "%s: %s", b, stderr)
	for _, f := range flagsOf(args[1:]) {
		require.Regexp(t, regexp.QuoteMeta(f)+`\b`, help, "%s: asyncgen %s has no flag %s", b, args[0], f)
	}
}

// checkOutputSample compares an output sample with real output, or finds
// the test that does.
func checkOutputSample(t *testing.T, b readmeBlock, repo string) {
	t.Helper()
	first, _, _ := strings.Cut(b.body, "\n")
	switch {
	case strings.HasPrefix(first, "asyncgen generate: unknown flag"):
		_, _, stderr := runCLI("generate", "-pakage", "x", "-out", "o", "s.yaml")
		require.Equal(t, b.body, stderr, "%s", b)
	case strings.HasPrefix(first, "asyncgen generate -package NAME"):
		checkUsageSummary(t, b)
	case b.section == "Try it locally":
		requireTest(t, b, repo, "cmd/asyncgen/webhook_test.go", "TestREADMETryItLocally")
	default:
		// An error message: some test expects each of its lines.
		for _, line := range strings.Split(strings.TrimSpace(b.body), "\n") {
			msg := strings.TrimPrefix(line, "asyncgen: ")
			msg = regexp.MustCompile(`^\S+\.yaml:[\d:]+ ?`).ReplaceAllString(msg, "")
			require.True(t, someTestExpects(t, repo, msg), "%s: no test expects %q", b, msg)
		}
	}
}

// checkUsageSummary checks the README's summary of the commands: each
// command exists and takes every flag the summary gives it.
func checkUsageSummary(t *testing.T, b readmeBlock) {
	t.Helper()
	command := ""
	for _, line := range strings.Split(b.body, "\n") {
		words := strings.Fields(line)
		if len(words) > 1 && words[0] == "asyncgen" {
			command = words[1]
			code, _, stderr := runCLI("help", command)
			require.Equal(t, exitOK, code, "%s: %s", b, stderr)
		}
		if command == "" {
			continue
		}
		_, help, _ := runCLI("help", command)
		for _, w := range words {
			f := strings.Trim(w, "[]")
			if strings.HasPrefix(f, "-") && f != "-" {
				require.Regexp(t, regexp.QuoteMeta(f)+`\b`, help, "%s: asyncgen %s has no flag %s", b, command, f)
			}
		}
	}
}

// requireTest checks that the named test exists in file.
func requireTest(t *testing.T, b readmeBlock, repo, file, name string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repo, file))
	require.NoError(t, err)
	require.Contains(t, string(data), "func "+name+"(t *testing.T)", "%s is checked by %s", b, name)
}

// someTestExpects reports whether a _test.go file of the repository holds
// msg, as Go source writes it in a string.
func someTestExpects(t *testing.T, repo, msg string) bool {
	t.Helper()
	quoted := strings.Trim(fmt.Sprintf("%q", msg), `"`)
	found := false
	err := filepath.WalkDir(repo, func(path string, d os.DirEntry, err error) error {
		if err != nil || found {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, "_test.go") {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			found = strings.Contains(string(data), msg) || strings.Contains(string(data), quoted)
		}
		return nil
	})
	require.NoError(t, err)
	return found
}
