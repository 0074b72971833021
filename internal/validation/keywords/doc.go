// Package keywords holds the code generated from the keyword-family golden
// specs (testdata/golden/validate-*), merged into one package, so that
// internal/validation can compare its validators with kin-openapi's.
//
// Every file but this one is generated: edit the specs and run go generate.
// It emits types, validators and decoders only: no HTTP transport.
package keywords

//go:generate go run ../../../cmd/asyncgen generate -package keywords -out . -emit types,validation,decoding ../../../testdata/golden/validate-arrays/spec.yaml ../../../testdata/golden/validate-composition/spec.yaml ../../../testdata/golden/validate-formats/spec.yaml ../../../testdata/golden/validate-numbers/spec.yaml ../../../testdata/golden/validate-objects/spec.yaml ../../../testdata/golden/validate-strings/spec.yaml
