package templates

import (
	"slices"
	"strings"

	"github.com/asyncgen/asyncgen/generator/model"
)

// jwtPath is the JWT library generated code imports, only in packages whose
// spec uses an HS256 bearer scheme.
const jwtPath = "github.com/golang-jwt/jwt/v5"

// hasHTTPTransport reports whether a package gets an HTTP receiver and
// sender: it has a channel whose operations carry a message with a payload,
// and its servers, if it declares any, include an HTTP one. A spec whose
// servers are all brokers gets the publishers and subscribers of Brokers
// instead.
func hasHTTPTransport(pkg *model.Package) bool {
	if !hasDeliverableMessage(pkg) {
		return false
	}
	if len(pkg.Servers) == 0 {
		return true
	}
	return slices.ContainsFunc(pkg.Servers, isHTTPServer)
}

// hasDeliverableMessage reports whether some operation carries a message
// that has a decoder.
func hasDeliverableMessage(pkg *model.Package) bool {
	for _, ch := range pkg.Channels {
		for _, op := range ch.Operations {
			for _, m := range op.Messages {
				if m.DecodeFunc != "" {
					return true
				}
			}
		}
	}
	return false
}

// isHTTPServer reports whether a server speaks HTTP.
func isHTTPServer(s *model.Server) bool {
	switch strings.ToLower(s.Protocol) {
	case "http", "https":
		return true
	}
	return false
}

// authKind is how a receiver checks a request and a sender signs one.
type authKind int

// The kinds of authentication the transport code implements.
const (
	// authSharedSecret is for specs that declare no security scheme: an
	// optional token agreed between the two sides.
	authSharedSecret authKind = iota
	// authJWT is an http bearer scheme whose bearerFormat is JWT: HS256.
	authJWT
	// authAPIKey is an httpApiKey scheme: a key in a header or the query.
	authAPIKey
	// authUnsupported is any other scheme (basic, oauth2, X509, ...).
	authUnsupported
)

// usedSchemes returns the security schemes the package's HTTP servers and
// operations require, in the order the spec declares them. A scheme
// declared but required by nothing is not used.
func usedSchemes(pkg *model.Package) []*model.SecurityScheme {
	required := map[string]bool{}
	for _, s := range pkg.Servers {
		if isHTTPServer(s) {
			for _, name := range s.Security {
				required[name] = true
			}
		}
	}
	for _, ch := range pkg.Channels {
		for _, op := range ch.Operations {
			for _, name := range op.Security {
				required[name] = true
			}
		}
	}
	var used []*model.SecurityScheme
	for _, s := range pkg.SecuritySchemes {
		if required[s.Name] {
			used = append(used, s)
		}
	}
	return used
}

// schemeKind classifies one security scheme.
func schemeKind(s *model.SecurityScheme) authKind {
	switch {
	case s.Type == "http" && strings.EqualFold(s.Scheme, "bearer") && strings.EqualFold(s.BearerFormat, "JWT"):
		return authJWT
	case s.Type == "httpApiKey" && (s.In == "header" || s.In == "query") && s.ParamName != "":
		return authAPIKey
	}
	return authUnsupported
}

// authKinds returns the distinct kinds of authentication a package's
// transport needs, in a fixed order; authSharedSecret when it uses no
// scheme.
func authKinds(pkg *model.Package) []authKind {
	used := usedSchemes(pkg)
	if len(used) == 0 {
		return []authKind{authSharedSecret}
	}
	var kinds []authKind
	for _, s := range used {
		if k := schemeKind(s); !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	slices.Sort(kinds)
	return kinds
}

// apiKeyScheme returns the first httpApiKey scheme the package uses, or nil.
func apiKeyScheme(pkg *model.Package) *model.SecurityScheme {
	for _, s := range usedSchemes(pkg) {
		if schemeKind(s) == authAPIKey {
			return s
		}
	}
	return nil
}
