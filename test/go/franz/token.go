package main

// franz token -b host:port -mechanism scram-sha-256|scram-sha-512 -id <token id> -hmac <base64 HMAC> -topic t -n 3
//
// Logs in with a delegation token (franz-go's scram.Auth with IsToken: the tokenauth=true
// extension, the token id as user name, the HMAC as password) over SASL_PLAINTEXT and produces n
// records to partition 0; reports the records acked, or the error of a refused login (kerr's name
// and message) without failing the command.

import (
	"context"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

func init() { commands["token"] = tokenCmd }

func tokenCmd(args []string) (any, error) {
	fs, b, timeout := newFlags("token")
	mechanism := fs.String("mechanism", "scram-sha-256", "scram-sha-256|scram-sha-512")
	id := fs.String("id", "", "token id")
	hmac := fs.String("hmac", "", "token HMAC, base64")
	topic := fs.String("topic", "", "topic")
	n := fs.Int("n", 3, "records")
	fs.Parse(args)

	if *mechanism == "plain" || *mechanism == "oauthbearer" {
		return nil, fmt.Errorf("unknown mechanism %q", *mechanism)
	}
	m, err := saslMechanism(*mechanism, saslCreds{user: *id, password: *hmac, isToken: true})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	cl, err := kgo.NewClient(seeds(*b), logger(), kgo.SASL(m), kgo.DefaultProduceTopic(*topic),
		kgo.RecordPartitioner(kgo.ManualPartitioner()), kgo.RequestRetries(0))
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
	acked := 0
	for i := 0; i < *n; i++ {
		r := &kgo.Record{Partition: 0, Value: []byte(fmt.Sprintf("token-%d", i))}
		if err := cl.ProduceSync(ctx, r).FirstErr(); err != nil {
			return nil, err
		}
		acked++
	}
	return map[string]any{"acked": acked}, nil
}
