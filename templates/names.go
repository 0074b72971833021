package templates

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"slices"
	"strings"
)

// emitterNames are the package-level identifiers the emitters declare
// under fixed names, by the file that declares them. TestDeclaredNames
// checks that the goldens declare no other fixed name.
var emitterNames = [][]string{
	// auth.gen.go
	{"CredentialOption", "WithSharedSecret", "WithJWTSecret", "WithAPIKey", "credentials"},
	// receiver.gen.go
	{"Handler", "NopHandler", "NewReceiver", "ReceiverOption", "receiverOption", "receiverConfig", "newReceiver",
		"WithMaxBodyBytes", "WithStrictEnums", "WithIdempotency", "WithReceiveErrors", "WithUnknownMessages",
		"WithAuthenticator", "WithClaimsCheck", "WithIdempotencyByBodyHash", "WithIdempotencyLease", "WithEvents",
		"WithInbox", "WithOrderingKey", "NewInboxWorker", "receiveInboxEvent"},
	// sender.gen.go
	{"Sender", "NewSender", "SenderOption", "senderOption", "senderConfig", "senderJWT", "senderJWTLifetime",
		"senderUserAgent", "WithInsecureHTTP", "WithAttemptTimeout", "WithRetry", "WithoutRetry", "WithHTTPClient"},
	// unions.gen.go and tuples.gen.go
	{"unionShape", "unionDecode", "unionHas", "unionIn", "unionIsNull", "unionMatched", "unionTag", "unionTypeIs",
		"tupleDecode", "tupleMarshal"},
	// validate.gen.go
	{"schemaRules"},
}

// DeclaredNames lists, sorted, every package-level identifier a generated
// package may declare under a name that does not come from the spec: the
// top-level declarations of the support code (read from the code itself)
// and the fixed names the emitters declare. No name from the spec may
// take one of them.
func DeclaredNames() ([]string, error) {
	names, err := supportNames()
	if err != nil {
		return nil, fmt.Errorf("list support declarations: %w", err)
	}
	for _, group := range emitterNames {
		names = append(names, group...)
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// supportNames lists the package-level names the support files declare
// (not methods), reading only their declarations.
func supportNames() ([]string, error) {
	entries, err := supportFiles.ReadDir("support")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		src, err := supportFiles.ReadFile(path.Join("support", e.Name()))
		if err != nil {
			return nil, err
		}
		file, err := parser.ParseFile(token.NewFileSet(), e.Name(), src, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, decl := range file.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					names = append(names, d.Name.Name)
				}
			case *ast.GenDecl:
				if d.Tok != token.IMPORT {
					names = append(names, genDeclNames(d)...)
				}
			}
		}
	}
	return names, nil
}
