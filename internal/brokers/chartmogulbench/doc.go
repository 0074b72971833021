// Package chartmogulbench is the package asyncgen generates for the
// ChartMogul document (specs/chartmogul.yaml) with Kafka and NATS servers
// instead of its webhook endpoint, kept here to measure the generated
// publishers and subscribers against hand-written franz-go and nats.go
// code on the same 1.3 KB payload.
package chartmogulbench

//go:generate go run ../../../cmd/asyncgen generate -package chartmogulbench -out . spec.yaml
