// Package kafkareply is the package asyncgen generates for a 3.0 document
// whose receive operations have replies, served over Kafka (spec.yaml),
// kept here so that request/reply over Kafka is tested end to end: one
// request names its correlation ID and reply topic in declared headers,
// the other in asyncgen's own. The quotes' reply channel has a receiving
// operation of its own, so the subscriber reads the answers it produces.
package kafkareply

//go:generate go run ../../../cmd/asyncgen generate -package kafkareply -out . spec.yaml
