// Package kafkastreetlights is the package asyncgen generates for the
// streetlights Kafka document (testdata/golden/kafka-streetlights), kept
// here so that its Kafka publisher and subscriber are tested end to end
// against an in-process Kafka cluster.
package kafkastreetlights

//go:generate go run ../../../cmd/asyncgen generate -package kafkastreetlights -out . ../../../testdata/golden/kafka-streetlights/spec.yaml
