// Package natsstreetlights is the package asyncgen generates for the
// streetlights document with a NATS server (testdata/golden/nats-streetlights),
// kept here so that its NATS publishers and subscribers are tested end to
// end against an embedded NATS server with JetStream.
package natsstreetlights

//go:generate go run ../../../cmd/asyncgen generate -package natsstreetlights -out . ../../../testdata/golden/nats-streetlights/spec.yaml
