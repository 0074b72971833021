// Package mqttstreetlights is the package asyncgen generates for the
// streetlights MQTT document (testdata/golden/mqtt-streetlights), kept here
// so that its MQTT publisher and subscriber are tested end to end against
// mosquitto.
package mqttstreetlights

//go:generate go run ../../../cmd/asyncgen generate -package mqttstreetlights -out . ../../../testdata/golden/mqtt-streetlights/spec.yaml
