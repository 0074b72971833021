package templates

import (
	"fmt"
	"slices"

	"github.com/dave/jennifer/jen"

	"github.com/asyncgen/asyncgen/generator/model"
)

// Auth emits the credentials a Receiver checks and a Sender presents, and
// one option per kind of secret, of a type that configures both, so that
// one value set up once works on either side. It returns nil for a package
// without an HTTP transport.
//
// The receiver and sender files declare the methods that make
// CredentialOption a ReceiverOption and a SenderOption.
func Auth(pkg *model.Package) (*jen.File, error) {
	if !hasHTTPTransport(pkg) {
		return nil, nil
	}
	kinds := authKinds(pkg)
	f := newFile(pkg)
	f.Add(credentialsDecl(kinds))
	f.Line()
	f.Comment("CredentialOption sets a secret that a Receiver checks and a Sender presents;")
	f.Comment("it is both a ReceiverOption and a SenderOption.")
	f.Type().Id("CredentialOption").Func().Params(jen.Op("*").Id("credentials"))
	var opts []jen.Code
	for _, k := range kinds {
		if opt := credentialOption(pkg, k); opt != nil {
			opts = append(opts, opt)
		}
	}
	if len(opts) > 0 {
		f.Line()
		f.Add(noteBlankDecl())
	}
	f.Line()
	f.Add(credentialsErrDecl())
	for _, opt := range opts {
		f.Line()
		f.Add(opt)
	}
	return f, nil
}

// credentialsDecl declares the struct holding the secrets the kinds need.
func credentialsDecl(kinds []authKind) jen.Code {
	var fields []jen.Code
	if slices.Contains(kinds, authSharedSecret) {
		fields = append(fields, jen.Comment("sharedSecret is the token from WithSharedSecret; empty means none."),
			jen.Id("sharedSecret").String())
	}
	if slices.Contains(kinds, authJWT) {
		fields = append(fields, jen.Comment("jwtSecret is the HS256 key from WithJWTSecret."),
			jen.Id("jwtSecret").Index().Byte())
	}
	if slices.Contains(kinds, authAPIKey) {
		fields = append(fields, jen.Comment("apiKey is the key from WithAPIKey."),
			jen.Id("apiKey").String())
	}
	fields = append(fields, jen.Comment("blank names the options given an empty or white-space value."),
		jen.Id("blank").Index().String())
	return jen.Comment("credentials are the secrets a Receiver checks and a Sender presents.").Line().
		Type().Id("credentials").Struct(fields...)
}

// noteBlankDecl declares the method recording an option given no secret.
func noteBlankDecl() jen.Code {
	return jen.Comment("noteBlank records option when its value is empty or white space: most likely").Line().
		Comment("an environment variable that is not set.").Line().
		Func().Params(jen.Id("c").Op("*").Id("credentials")).Id("noteBlank").Params(jen.List(jen.Id("option"), jen.Id("value")).String()).Block(
		jen.If(jen.Qual("strings", "TrimSpace").Call(jen.Id("value")).Op("==").Lit("")).Block(
			jen.Id("c").Dot("blank").Op("=").Append(jen.Id("c").Dot("blank"), jen.Id("option"))))
}

// credentialsErrDecl declares the method saying which options were given
// no secret: a Receiver then refuses every request and NewSender fails,
// rather than run unauthenticated.
func credentialsErrDecl() jen.Code {
	return jen.Comment("err says which credential options were given an empty or white-space value,").Line().
		Comment("or returns nil. A Receiver refuses every request and NewSender fails rather").Line().
		Comment("than run without the secret.").Line().
		Func().Params(jen.Id("c").Op("*").Id("credentials")).Id("err").Params().Error().Block(
		jen.If(jen.Len(jen.Id("c").Dot("blank")).Op("==").Lit(0)).Block(jen.Return(jen.Nil())),
		jen.Return(jen.Qual("fmt", "Errorf").Call(
			jen.Lit("%s given an empty or white-space secret (is its environment variable set?): refusing to run without it"),
			jen.Qual("strings", "Join").Call(jen.Id("c").Dot("blank"), jen.Lit(", ")))))
}

// credentialOption declares the option setting one kind of secret, or
// returns nil for a kind that has none.
func credentialOption(pkg *model.Package, k authKind) jen.Code {
	switch k {
	case authSharedSecret:
		return docComment("WithSharedSecret sets a token both sides know. The spec declares no " +
			"security scheme, so this is optional: a Receiver given one accepts a request only when " +
			"it carries the token, as \"Authorization: Bearer <token>\" or in the \"token\" " +
			"query parameter (for providers that let you set only a URL); a Sender given " +
			"one sends it in the Authorization header." + blankNote).(*jen.Statement).Line().
			Func().Id("WithSharedSecret").Params(jen.Id("token").String()).Id("CredentialOption").Block(
			jen.Return(jen.Func().Params(jen.Id("c").Op("*").Id("credentials")).Block(
				jen.Id("c").Dot("sharedSecret").Op("=").Id("token"),
				jen.Id("c").Dot("noteBlank").Call(jen.Lit("WithSharedSecret"), jen.Id("token")))))
	case authJWT:
		return docComment("WithJWTSecret sets the key of the HS256 JSON Web Tokens in the "+
			"Authorization header: a Receiver verifies them with it and a Sender signs them "+
			"with it. The secret is copied."+blankNote).(*jen.Statement).Line().
			Func().Id("WithJWTSecret").Params(jen.Id("secret").Index().Byte()).Id("CredentialOption").Block(
			jen.Id("key").Op(":=").Qual("bytes", "Clone").Call(jen.Id("secret")),
			jen.Return(jen.Func().Params(jen.Id("c").Op("*").Id("credentials")).Block(
				jen.Id("c").Dot("jwtSecret").Op("=").Id("key"),
				jen.Id("c").Dot("noteBlank").Call(jen.Lit("WithJWTSecret"), jen.String().Call(jen.Id("key"))))))
	case authAPIKey:
		s := apiKeyScheme(pkg)
		return docComment(fmt.Sprintf("WithAPIKey sets the API key of the %s scheme, sent in "+
			"the %q %s: a Receiver compares it in constant time and a Sender sends it.",
			s.Name, s.ParamName, apiKeyPlace(s)) + blankNote).(*jen.Statement).Line().
			Func().Id("WithAPIKey").Params(jen.Id("key").String()).Id("CredentialOption").Block(
			jen.Return(jen.Func().Params(jen.Id("c").Op("*").Id("credentials")).Block(
				jen.Id("c").Dot("apiKey").Op("=").Id("key"),
				jen.Id("c").Dot("noteBlank").Call(jen.Lit("WithAPIKey"), jen.Id("key")))))
	}
	return nil
}

// blankNote ends the doc of every credential option: an empty secret is a
// mistake, never a way to turn authentication off.
const blankNote = " An empty or white-space value (an unset environment variable, say) is a " +
	"mistake, not a way to turn the check off: a Receiver given one refuses every request " +
	"with 401 and tells WithReceiveErrors why, and NewSender returns an error."

// apiKeyPlace names where an httpApiKey scheme's key travels.
func apiKeyPlace(s *model.SecurityScheme) string {
	if s.In == "query" {
		return "query parameter"
	}
	return "header"
}
