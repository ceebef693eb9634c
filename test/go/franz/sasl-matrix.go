package main

// franz sasl-matrix -b host:port -mechanism plain|scram-sha-256|scram-sha-512|oauthbearer
//   [-user u -password p | -token jwt] [-ca ca.pem] -topic t -tag x -n 3
//
// One cell of the SASL mechanisms x clients matrix (test/integration/sasl-matrix.test.ts):
// over SASL_SSL when -ca names the CA's PEM file (kgo.DialTLSConfig, the server name checked),
// SASL_PLAINTEXT otherwise; authenticates with franz-go's sasl/plain, sasl/scram or sasl/oauth,
// produces n records "<tag>-<i>" to partition 0 and reads the topic from the start until they
// are all seen. Reports the values read and franz-go's module version, or the refused
// authentication (kerr's name and the broker's message) without failing the command.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

func init() { commands["sasl-matrix"] = saslMatrixCmd }

func franzVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "github.com/twmb/franz-go" {
				return d.Version
			}
		}
	}
	return "unknown"
}

func saslMatrixCmd(args []string) (any, error) {
	fs, b, timeout := newFlags("sasl-matrix")
	mechanism := fs.String("mechanism", "plain", "plain|scram-sha-256|scram-sha-512|oauthbearer")
	user := fs.String("user", "", "user")
	password := fs.String("password", "", "password")
	token := fs.String("token", "", "OAUTHBEARER token")
	ca := fs.String("ca", "", "CA PEM file: SASL_SSL")
	topic := fs.String("topic", "", "topic")
	tag := fs.String("tag", "", "value prefix")
	n := fs.Int("n", 3, "records")
	fs.Parse(args)

	m, err := saslMechanism(*mechanism, saslCreds{user: *user, password: *password, token: *token})
	if err != nil {
		return nil, err
	}
	opts := []kgo.Opt{
		seeds(*b), logger(), kgo.SASL(m), kgo.DefaultProduceTopic(*topic),
		kgo.RecordPartitioner(kgo.ManualPartitioner()), kgo.RequestRetries(0),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{*topic: {0: kgo.NewOffset().AtStart()}}),
	}
	if *ca != "" {
		pem, err := os.ReadFile(*ca)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("no certificate in %s", *ca)
		}
		host := strings.Split(strings.Split(*b, ",")[0], ":")[0]
		opts = append(opts, kgo.DialTLSConfig(&tls.Config{RootCAs: pool, ServerName: host}))
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	version := franzVersion()
	if err := cl.Ping(ctx); err != nil {
		var ke *kerr.Error
		if errors.As(err, &ke) {
			return map[string]any{"version": version, "error": ke.Message, "message": err.Error()}, nil
		}
		return map[string]any{"version": version, "error": "other", "message": err.Error()}, nil
	}
	for i := 0; i < *n; i++ {
		r := &kgo.Record{Partition: 0, Value: []byte(fmt.Sprintf("%s-%d", *tag, i))}
		if err := cl.ProduceSync(ctx, r).FirstErr(); err != nil {
			return nil, err
		}
	}
	values := []string{}
	for len(values) < *n {
		fetches := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		fetches.EachRecord(func(r *kgo.Record) {
			if strings.HasPrefix(string(r.Value), *tag+"-") {
				values = append(values, string(r.Value))
			}
		})
	}
	return map[string]any{"version": version, "values": values}, nil
}
