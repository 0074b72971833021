// Package mqttstreetlights3 is the package asyncgen generates for the
// AsyncAPI 3.0 streetlights MQTT document (spec.yaml, from the AsyncAPI
// specification's examples), kept here so that it is tested end to end
// like the 2.6 one.
package mqttstreetlights3

//go:generate go run ../../../cmd/asyncgen generate -package mqttstreetlights3 -out . spec.yaml
