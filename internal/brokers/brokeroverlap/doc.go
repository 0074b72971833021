// Package brokeroverlap is the package asyncgen generates for a document
// whose channels' MQTT topic filters and NATS subjects overlap
// (testdata/golden/broker-overlap), kept here so that a message matching
// several of them is tested to be handled once, against mosquitto and an
// embedded nats-server.
package brokeroverlap

//go:generate go run ../../../cmd/asyncgen generate -package brokeroverlap -out . ../../../testdata/golden/broker-overlap/spec.yaml
