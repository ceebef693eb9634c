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
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

func init() { commands["sasl"] = saslCmd }

func saslCmd(args []string) (any, error) {
	fs, b, timeout := newFlags("sasl")
	mechanism := fs.String("mechanism", "plain", "plain|scram-sha-256|scram-sha-512")
	user := fs.String("user", "", "user")
	password := fs.String("password", "", "password")
	topic := fs.String("topic", "", "topic")
	n := fs.Int("n", 5, "records")
	fs.Parse(args)

	var m sasl.Mechanism
	switch *mechanism {
	case "plain":
		m = plain.Auth{User: *user, Pass: *password}.AsMechanism()
	case "scram-sha-256":
		m = scram.Auth{User: *user, Pass: *password}.AsSha256Mechanism()
	case "scram-sha-512":
		m = scram.Auth{User: *user, Pass: *password}.AsSha512Mechanism()
	default:
		return nil, fmt.Errorf("unknown mechanism %q", *mechanism)
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
