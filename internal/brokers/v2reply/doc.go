// Package v2reply is the package asyncgen generates for a 2.x document
// whose publish operations answer through asyncgen's x-reply extension,
// served over NATS and Kafka (spec.yaml), kept here so that 2.x
// request/reply over the brokers is tested end to end.
package v2reply

//go:generate go run ../../../cmd/asyncgen generate -package v2reply -out . spec.yaml
