package generator

import (
	"errors"
	"path/filepath"
	"regexp/syntax"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asyncgen/asyncgen/generator/document"
)

// builderErrorSpec has a pattern that Go's regular expressions refuse;
// the builder, not the loader, finds it.
const builderErrorSpec = `asyncapi: 2.6.0
info: {title: Errors, version: 1.0.0}
channels:
  orders:
    subscribe:
      message:
        payload:
          type: object
          properties:
            code: {type: string, pattern: '(?=x)'}
            tags:
              type: object
              patternProperties:
                '(?<=y)': {type: string}
`

// TestBuilderErrorsNameThePlaceOnce checks that an error the builder
// finds is a positioned document.Error naming the spec once, in the
// style the loader's errors have, and that it unwraps to its cause.
func TestBuilderErrorsNameThePlaceOnce(t *testing.T) {
	for _, tc := range []struct{ name, spec, pointer string }{
		{"pattern", builderErrorSpec, "#/channels/orders/subscribe/message/payload/properties/code/pattern"},
		{"patternProperties", strings.Replace(builderErrorSpec, "pattern: '(?=x)'", "pattern: 'x'", 1), "#/channels/orders/subscribe/message/payload/properties/tags/patternProperties/(?<=y)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Build(memoryConfig([]byte(tc.spec)))
			require.Error(t, err)
			spec := filepath.Join("virtual", "spec.yaml")
			msg := err.Error()
			require.Equal(t, 1, strings.Count(msg, "spec.yaml"), "the spec is named once: %s", msg)
			require.True(t, strings.HasPrefix(msg, spec+":"), "the error starts with its place: %s", msg)
			require.Contains(t, msg, " ("+tc.pointer+"): ", "the error names its JSON pointer: %s", msg)
			require.NotContains(t, msg, "error parsing regexp", "the error says what is wrong in our words: %s", msg)
			var placed *document.Error
			require.ErrorAs(t, err, &placed)
			var cause *syntax.Error
			require.True(t, errors.As(err, &cause), "the error unwraps to the regular expression's own error: %s", msg)
		})
	}
}

// TestInitialismsAreCheckedOnce: the generator refuses an initialism that
// is not letters and digits, with the words the configuration file uses,
// whatever the caller (the command line passes -initialisms unchecked).
func TestInitialismsAreCheckedOnce(t *testing.T) {
	cfg := memoryConfig([]byte(builderErrorSpec))
	cfg.Initialisms = []string{"SKU", "S-K"}
	_, err := Generate(cfg)
	require.EqualError(t, err, `initialism "S-K" must be letters and digits`)
	require.Equal(t, "", InitialismProblem("SKU"))
	require.Equal(t, "must be letters and digits", InitialismProblem(""))
}
