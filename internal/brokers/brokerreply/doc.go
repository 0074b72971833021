// Package brokerreply is the package asyncgen generates for a 3.0
// document whose receive operation has a reply, served over NATS and
// Kafka (spec.yaml), kept here so that request/reply over the brokers is
// tested end to end.
package brokerreply

//go:generate go run ../../../cmd/asyncgen generate -package brokerreply -out . spec.yaml
