// Package mqttoverlap is the package asyncgen generates for a document
// whose channels' MQTT topic filters overlap
// (testdata/golden/mqtt-overlap), kept here so that a message matching
// several of them is tested to be handled once, against mosquitto.
package mqttoverlap

//go:generate go run ../../../cmd/asyncgen generate -package mqttoverlap -out . ../../../testdata/golden/mqtt-overlap/spec.yaml
