package main

// franz sasl -b host:port -mechanism plain|scram-sha-256|scram-sha-512 -user u -password p -topic t -n 5
//
// Produces n records to partition 0 and consumes them back, authenticating with franz-go's
// sasl/plain or sasl/scram over SASL_PLAINTEXT; reports the values read, or the error of a
// failed authentication (kerr's name and message) without failing the command.

import (
	"context"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/oauth"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

func init() { commands["sasl"] = saslCmd }

// saslCreds are what a mechanism logs in with: a user and password (a token id and HMAC when
// isToken, SCRAM's tokenauth extension), or an OAUTHBEARER token.
type saslCreds struct {
	user, password, token string
	isToken               bool
}

// saslMechanism is franz-go's mechanism for plain, scram-sha-256, scram-sha-512 or oauthbearer.
func saslMechanism(name string, c saslCreds) (sasl.Mechanism, error) {
	switch name {
	case "plain":
		return plain.Auth{User: c.user, Pass: c.password}.AsMechanism(), nil
	case "scram-sha-256":
		return scram.Auth{User: c.user, Pass: c.password, IsToken: c.isToken}.AsSha256Mechanism(), nil
	case "scram-sha-512":
		return scram.Auth{User: c.user, Pass: c.password, IsToken: c.isToken}.AsSha512Mechanism(), nil
	case "oauthbearer":
		return oauth.Auth{Token: c.token}.AsMechanism(), nil
	}
	return nil, fmt.Errorf("unknown mechanism %q", name)
}

func saslCmd(args []string) (any, error) {
	fs, b, timeout := newFlags("sasl")
	mechanism := fs.String("mechanism", "plain", "plain|scram-sha-256|scram-sha-512")
	user := fs.String("user", "", "user")
	password := fs.String("password", "", "password")
	topic := fs.String("topic", "", "topic")
	n := fs.Int("n", 5, "records")
	fs.Parse(args)

	m, err := saslMechanism(*mechanism, saslCreds{user: *user, password: *password})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	cl, err := kgo.NewClient(seeds(*b), logger(), kgo.SASL(m), kgo.DefaultProduceTopic(*topic),
		kgo.RecordPartitioner(kgo.ManualPartitioner()), kgo.RequestRetries(0),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{*topic: {0: kgo.NewOffset().AtStart()}}))
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	if err := cl.Ping(ctx); err != nil {
		var ke *kerr.Error
		if errors.As(err, &ke) {
			return map[string]any{"error": ke.Message, "message": err.Error()}, nil
		}
		return map[string]any{"error": "other", "message": err.Error()}, nil
	}
	for i := 0; i < *n; i++ {
		r := &kgo.Record{Partition: 0, Value: []byte(fmt.Sprintf("%s-%d", *mechanism, i))}
		if err := cl.ProduceSync(ctx, r).FirstErr(); err != nil {
			return nil, err
		}
	}
	var values []string
	for len(values) < *n {
		fetches := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		fetches.EachRecord(func(r *kgo.Record) { values = append(values, string(r.Value)) })
	}
	return map[string]any{"values": values}, nil
}
