package main

import (
	"errors"
	"strconv"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// recordErrorsCmd produces, with a 200 ms linger so that each case travels as one batch: ten
// records into a compacted topic, records 3 and 7 without a key; then five records into a topic
// with message.timestamp.before.max.ms=1h, record 2 stamped 1970. Reports each record's
// outcome (offset, or error text and whether it is a kerr broker error) and the topic's
// high watermark (KIP-467 record errors, test/integration/record-errors-clients.test.ts).
func recordErrorsCmd(args []string) (any, error) {
	fs, b, timeout := newFlags("record-errors")
	prefix := fs.String("prefix", "fre", "topic name prefix")
	fs.Parse(args)
	ctx, cancel := ctxFor(*timeout)
	defer cancel()

	compact, before := "compact", "3600000"
	topics := map[string]map[string]*string{
		*prefix + "-batch": {"cleanup.policy": &compact},
		*prefix + "-ts":    {"message.timestamp.before.max.ms": &before},
	}
	admin, err := kgo.NewClient(seeds(*b), logger())
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	adm := kadm.NewClient(admin)
	for topic, configs := range topics {
		if _, err := adm.CreateTopic(ctx, 1, 1, configs, topic); err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
			return nil, err
		}
	}
	time.Sleep(time.Second)

	send := func(topic string, n int, record func(i int) *kgo.Record) ([]map[string]any, error) {
		cl, err := kgo.NewClient(seeds(*b), logger(), kgo.ProducerLinger(200*time.Millisecond), kgo.DefaultProduceTopic(topic),
			kgo.RecordPartitioner(kgo.ManualPartitioner()), kgo.RecordRetries(3))
		if err != nil {
			return nil, err
		}
		defer cl.Close()
		records := make([]*kgo.Record, n)
		for i := range records {
			records[i] = record(i)
		}
		results := cl.ProduceSync(ctx, records...)
		out := make([]map[string]any, n)
		for i, r := range results {
			if r.Err != nil {
				var ke *kerr.Error
				out[i] = map[string]any{"error": r.Err.Error(), "broker": errors.As(r.Err, &ke)}
			} else {
				out[i] = map[string]any{"offset": r.Record.Offset}
			}
		}
		return out, nil
	}
	now := time.Now()
	batch, err := send(*prefix+"-batch", 10, func(i int) *kgo.Record {
		r := &kgo.Record{Value: []byte("m-" + strconv.Itoa(i))}
		if i != 3 && i != 7 {
			r.Key = []byte("k" + strconv.Itoa(i))
		}
		return r
	})
	if err != nil {
		return nil, err
	}
	ts, err := send(*prefix+"-ts", 5, func(i int) *kgo.Record {
		r := &kgo.Record{Key: []byte("k"), Value: []byte("m-" + strconv.Itoa(i)), Timestamp: now}
		if i == 2 {
			r.Timestamp = time.UnixMilli(1000)
		}
		return r
	})
	if err != nil {
		return nil, err
	}
	ends, err := adm.ListEndOffsets(ctx, *prefix+"-batch", *prefix+"-ts")
	if err != nil {
		return nil, err
	}
	hw := map[string]int64{}
	ends.Each(func(o kadm.ListedOffset) { hw[o.Topic] = o.Offset })
	return map[string]any{"batch": batch, "timestamp": ts, "highWatermarks": hw}, nil
}
