package templates

import "github.com/asyncgen/asyncgen/generator/model"

// CredentialKind names how a request of a package's HTTP transport
// authenticates.
type CredentialKind string

// The kinds of Credential.
const (
	// CredentialSharedSecret: the spec declares no scheme; a shared secret
	// travels as a bearer token (or in the token query parameter).
	CredentialSharedSecret CredentialKind = "shared secret"
	// CredentialJWT: an http bearer scheme of format JWT, HS256.
	CredentialJWT CredentialKind = "JWT"
	// CredentialAPIKey: an httpApiKey scheme, a key in a header or query
	// parameter.
	CredentialAPIKey CredentialKind = "API key"
	// CredentialUnsupported: a scheme asyncgen does not implement.
	CredentialUnsupported CredentialKind = "unsupported"
)

// Credential is one way a package's receiver lets a request in, and its
// sender signs one.
type Credential struct {
	Kind CredentialKind
	// Scheme is the security scheme's name, "" for a shared secret.
	Scheme string
	// In ("header" or "query") and Name place an API key.
	In, Name string
}

// Credentials lists the credentials the generated receiver and sender of
// pkg use, decided as they are: the schemes its HTTP servers and
// operations require, or a shared secret when none.
func Credentials(pkg *model.Package) []Credential {
	used := usedSchemes(pkg)
	if len(used) == 0 {
		return []Credential{{Kind: CredentialSharedSecret}}
	}
	out := make([]Credential, 0, len(used))
	for _, s := range used {
		c := Credential{Scheme: s.Name, Kind: CredentialUnsupported}
		switch schemeKind(s) {
		case authJWT:
			c.Kind = CredentialJWT
		case authAPIKey:
			c.Kind, c.In, c.Name = CredentialAPIKey, s.In, s.ParamName
		}
		out = append(out, c)
	}
	return out
}
