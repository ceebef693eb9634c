// franz: franz-go (kgo and kadm) driven from kafkalite's integration tests
// (test/integration/franz-go-*.test.ts). Each sub-command talks to the broker given by -b and
// prints JSON lines on stdout; the last line is the command's result. Errors go to stderr with
// a non-zero exit.
//
//	franz produce  -b host:port -topic t -n 100 -codec zstd -acks all
//	franz consume  -b host:port -topic t -n 100 [-isolation committed]
//	franz group    -b host:port -topic t -group g -n 200 -members 2 -protocol classic|consumer
//	franz eos      -b host:port -in src -out dst -group g -n 60
//	franz admin    -b host:port -prefix adm
//	franz record-errors -b host:port -prefix fre
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

var commands = map[string]func(args []string) (any, error){
	"produce":       produceCmd,
	"consume":       consumeCmd,
	"group":         groupCmd,
	"eos":           eosCmd,
	"admin":         adminCmd,
	"record-errors": recordErrorsCmd,
}

func main() {
	if len(os.Args) < 2 || commands[os.Args[1]] == nil {
		fmt.Fprintln(os.Stderr, "usage: franz produce|consume|group|eos|admin|record-errors -b host:port [flags]")
		os.Exit(2)
	}
	out, err := commands[os.Args[1]](os.Args[2:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "franz "+os.Args[1]+": "+err.Error())
		os.Exit(1)
	}
	emit(out)
}

// emit prints one JSON line.
func emit(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(b))
}

// newFlags returns a flag set with the common -b (bootstrap) and -timeout flags.
func newFlags(name string) (*flag.FlagSet, *string, *time.Duration) {
	fs := flag.NewFlagSet(name, flag.ExitOnError)
	b := fs.String("b", "127.0.0.1:9092", "bootstrap servers")
	t := fs.Duration("timeout", 60*time.Second, "give up after this long")
	return fs, b, t
}

func seeds(b string) kgo.Opt { return kgo.SeedBrokers(strings.Split(b, ",")...) }

// logger logs franz-go's client to stderr at the level FRANZ_LOG names (debug, info, warn);
// nothing without it.
func logger() kgo.Opt {
	levels := map[string]kgo.LogLevel{"debug": kgo.LogLevelDebug, "info": kgo.LogLevelInfo, "warn": kgo.LogLevelWarn}
	level, ok := levels[os.Getenv("FRANZ_LOG")]
	if !ok {
		level = kgo.LogLevelNone
	}
	return kgo.WithLogger(kgo.BasicLogger(os.Stderr, level, nil))
}

// apiCounter counts the requests a client writes, by API key, so a test can tell which group
// protocol the client spoke.
type apiCounter struct{ counts [128]int64 }

func (c *apiCounter) OnBrokerWrite(_ kgo.BrokerMetadata, key int16, _ int, _, _ time.Duration, err error) {
	if err == nil && key >= 0 && int(key) < len(c.counts) {
		c.counts[key]++
	}
}

func (c *apiCounter) get(key int16) int64 { return c.counts[key] }

func ctxFor(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// ensureTopics creates the topics with this many partitions (replication factor 1) unless they
// exist, so a sub-command runs the same against a fresh kafkalite and a fresh Kafka.
func ensureTopics(ctx context.Context, b string, partitions int, topics ...string) error {
	if partitions <= 0 {
		return nil
	}
	cl, err := kgo.NewClient(seeds(b), logger())
	if err != nil {
		return err
	}
	defer cl.Close()
	res, err := kadm.NewClient(cl).CreateTopics(ctx, int32(partitions), 1, nil, topics...)
	if err != nil {
		return err
	}
	for _, r := range res {
		if r.Err != nil && !errors.Is(r.Err, kerr.TopicAlreadyExists) {
			return fmt.Errorf("create %s: %w", r.Topic, r.Err)
		}
	}
	return nil
}

func itoa(i int32) string { return strconv.Itoa(int(i)) }

// kmsgName names the APIs whose advertised versions the admin scenario reports.
func kmsgName(key int16) string {
	switch kmsg.Key(key) {
	case kmsg.Produce, kmsg.Fetch, kmsg.ConsumerGroupHeartbeat, kmsg.ConsumerGroupDescribe, kmsg.OffsetCommit, kmsg.TxnOffsetCommit, kmsg.EndTxn:
		return kmsg.NameForKey(key)
	}
	return ""
}
