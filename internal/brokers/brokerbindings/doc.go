// Package brokerbindings is the package asyncgen generates for the broker
// bindings document (testdata/golden/broker-bindings), kept here so that
// what its bindings ask for (a Kafka topic, record key, group and client
// IDs, MQTT QoS and retain, a NATS queue group) is tested against real
// brokers.
package brokerbindings

//go:generate go run ../../../cmd/asyncgen generate -package brokerbindings -out . ../../../testdata/golden/broker-bindings/spec.yaml
