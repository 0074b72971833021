package templates

import (
	"fmt"
	"slices"
)

// emitterNames are the package-level identifiers the emitters declare
// under fixed names, by the file that declares them. TestDeclaredNames
// checks that the goldens declare no other fixed name.
var emitterNames = [][]string{
	// auth.gen.go
	{"CredentialOption", "WithSharedSecret", "WithJWTSecret", "WithAPIKey", "credentials"},
	// receiver.gen.go
	{"Handler", "NopHandler", "NewReceiver", "ReceiverOption", "receiverOption", "receiverConfig", "newReceiver",
		"WithMaxBodyBytes", "WithStrictEnums", "WithIdempotency", "WithReceiveErrors", "WithUnknownMessages",
		"WithAuthenticator", "WithClaimsCheck", "WithIdempotencyByBodyHash", "WithIdempotencyLease", "WithEvents",
		"WithInbox", "WithOrderingKey", "NewInboxWorker", "receiveInboxEvent"},
	// sender.gen.go
	{"Sender", "NewSender", "SenderOption", "senderOption", "senderConfig", "senderJWT", "senderJWTLifetime",
		"senderUserAgent", "WithInsecureHTTP", "WithAttemptTimeout", "WithRetry", "WithoutRetry", "WithHTTPClient"},
	// brokers.gen.go
	{"KafkaPublisher", "NewKafkaPublisher", "KafkaSubscriber", "NewKafkaSubscriber", "KafkaConsumeOptions",
		"NATSPublisher", "NewNATSPublisher", "NewNATSJetStreamPublisher", "NATSSubscriber", "NewNATSSubscriber",
		"NATSJetStreamSubscriber", "NewNATSJetStreamSubscriber", "NATSSubjects",
		"MQTTPublisher", "NewMQTTPublisher", "MQTTSubscriber", "NewMQTTSubscriber", "MQTTTopicFilters"},
	// validate.gen.go
	{"schemaRules"},
	// examples.gen.go
	{"MessageExample", "Examples"},
}

// DeclaredNames lists, sorted, every package-level identifier a generated
// package may declare under a name that does not come from the spec: the
// top-level declarations of the support code (read from the code itself)
// and the fixed names the emitters declare. No name from the spec may
// take one of them.
func DeclaredNames() ([]string, error) {
	names, err := supportNames()
	if err != nil {
		return nil, fmt.Errorf("list support declarations: %w", err)
	}
	for _, group := range emitterNames {
		names = append(names, group...)
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// supportNames lists the package-level names the support files declare
// (not methods), from the support package parsed once per process.
func supportNames() ([]string, error) {
	decls, err := loadSupport()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, d := range decls {
		names = append(names, d.names...)
	}
	return names, nil
}
