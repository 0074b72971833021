// Package kafkastreetlights3 is the package asyncgen generates for the
// AsyncAPI 3.0 streetlights KAFKA document (spec.yaml, from the AsyncAPI
// specification's examples), kept here so that it is tested end to end
// like the 2.6 one.
package kafkastreetlights3

//go:generate go run ../../../cmd/asyncgen generate -package kafkastreetlights3 -out . spec.yaml
