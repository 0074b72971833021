// Package keywords holds the code generated from the keyword-family golden
// specs (testdata/golden/validate-*), merged into one package, so that
// internal/validation can compare its validators with kin-openapi's.
//
// Every file but this one is generated: edit the specs and run go generate.
package keywords

//go:generate go run ../../../cmd/asyncgen generate -package keywords -out . ../../../testdata/golden/validate-arrays/spec.yaml ../../../testdata/golden/validate-composition/spec.yaml ../../../testdata/golden/validate-formats/spec.yaml ../../../testdata/golden/validate-numbers/spec.yaml ../../../testdata/golden/validate-objects/spec.yaml ../../../testdata/golden/validate-strings/spec.yaml
