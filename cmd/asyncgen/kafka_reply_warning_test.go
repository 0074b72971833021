package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestKafkaReplyWithoutTopicWarns: generate says, at the reply, that a
// request whose reply channel has parameters gets no Kafka Request
// method, and what the user can do; the code is generated all the same.
func TestKafkaReplyWithoutTopicWarns(t *testing.T) {
	dir, spec := writeSpec(t, `asyncapi: 3.0.0
info: {title: T, version: '1'}
servers:
  kafka: {host: 'localhost:9092', protocol: kafka}
channels:
  quotes:
    address: quotes
    messages:
      q: {name: Quote, payload: {type: string}}
  replies:
    address: 'replies.{shop}'
    parameters: {shop: {}}
    messages:
      r: {name: Quoted, payload: {type: string}}
operations:
  answer:
    action: receive
    channel: {$ref: '#/channels/quotes'}
    reply:
      channel: {$ref: '#/channels/replies'}
`)
	code, _, stderr := runCLI("generate", "-package", "quotes", "-out", filepath.Join(dir, "out"), spec)
	require.Equal(t, exitOK, code, stderr)
	require.Equal(t, spec+`:20:7 (#/operations/answer/reply): warning: the reply's address "replies.{shop}" has parameters, so it is not one Kafka topic: KafkaPublisher gets no RequestQuote method. Give the reply channel an address without parameters to get it; a KafkaSubscriber still answers each request to the topic its asyncgen-reply-to header names`+"\n", stderr)
	require.FileExists(t, filepath.Join(dir, "out", "brokers.gen.go"))
}
