package brokerbindings_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	bb "github.com/asyncgen/asyncgen/internal/brokers/brokerbindings"
	"github.com/asyncgen/asyncgen/internal/brokers/brokertest"
)

// topicPartitions asks the cluster for the partition count and
// replication factor of each topic it has.
func topicPartitions(t *testing.T, cl *kgo.Client) map[string][2]int {
	t.Helper()
	req := kmsg.NewPtrMetadataRequest()
	resp, err := req.RequestWith(context.Background(), cl)
	require.NoError(t, err)
	out := map[string][2]int{}
	for _, topic := range resp.Topics {
		require.NoError(t, kerr.ErrorForCode(topic.ErrorCode))
		replicas := 0
		if len(topic.Partitions) > 0 {
			replicas = len(topic.Partitions[0].Replicas)
		}
		out[*topic.Topic] = [2]int{len(topic.Partitions), replicas}
	}
	return out
}

// topicConfigs asks the cluster for the configuration entries of topic
// that were set on it, not defaults.
func topicConfigs(t *testing.T, cl *kgo.Client, topic string) map[string]string {
	t.Helper()
	req := kmsg.NewPtrDescribeConfigsRequest()
	res := kmsg.NewDescribeConfigsRequestResource()
	res.ResourceType, res.ResourceName = kmsg.ConfigResourceTypeTopic, topic
	req.Resources = append(req.Resources, res)
	resp, err := req.RequestWith(context.Background(), cl)
	require.NoError(t, err)
	require.Len(t, resp.Resources, 1)
	require.NoError(t, kerr.ErrorForCode(resp.Resources[0].ErrorCode))
	out := map[string]string{}
	for _, c := range resp.Resources[0].Configs {
		if c.Source == kmsg.ConfigSourceDynamicTopicConfig && c.Value != nil {
			out[c.Name] = *c.Value
		}
	}
	return out
}

// TestCreateKafkaTopicsAsTheBindingsSay creates the spec's topics on a
// cluster that has none: the topic of the orders channel gets the
// partitions, replicas and configuration of its kafka binding, the other
// the cluster's defaults. Created again, both are reported as existing,
// without an error.
func TestCreateKafkaTopicsAsTheBindingsSay(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(3), kfake.DefaultNumPartitions(2))
	require.NoError(t, err)
	t.Cleanup(c.Close)
	cl := brokertest.KafkaClient(t, c.ListenAddrs())
	ctx := context.Background()

	require.Equal(t, []bb.KafkaTopic{
		{Name: "shop.orders.v1", Partitions: 6, Replicas: 3, Configs: map[string]string{
			"cleanup.policy": "delete,compact", "max.message.bytes": "1048588", "retention.ms": "604800000",
		}},
		{Name: "shop.events", Partitions: -1, Replicas: -1},
	}, bb.KafkaTopics())

	existing, err := bb.CreateKafkaTopics(ctx, cl)
	require.NoError(t, err)
	require.Empty(t, existing)
	topics := topicPartitions(t, cl)
	require.Equal(t, [2]int{6, 3}, topics["shop.orders.v1"], "partitions and replicas of the binding")
	require.Equal(t, 2, topics["shop.events"][0], "the cluster's default partitions")
	require.Equal(t, map[string]string{
		"cleanup.policy": "delete,compact", "max.message.bytes": "1048588", "retention.ms": "604800000",
	}, topicConfigs(t, cl, "shop.orders.v1"))

	existing, err = bb.CreateKafkaTopics(ctx, cl)
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"shop.orders.v1", "shop.events"}, existing)
}

// TestCreateKafkaTopicsSaysWhichTopicFailed asks a one-broker cluster for
// three replicas: the error names the topic and why, and the other topic
// is created.
func TestCreateKafkaTopicsSaysWhichTopicFailed(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1))
	require.NoError(t, err)
	t.Cleanup(c.Close)
	cl := brokertest.KafkaClient(t, c.ListenAddrs())
	_, err = bb.CreateKafkaTopics(context.Background(), cl)
	require.ErrorIs(t, err, kerr.InvalidReplicationFactor)
	require.ErrorContains(t, err, "create topic shop.orders.v1: ")
	require.Contains(t, topicPartitions(t, cl), "shop.events")
}
