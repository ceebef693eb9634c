package main

import (
	"fmt"
	"strconv"

	"github.com/twmb/franz-go/pkg/kgo"
)

func codec(name string) (kgo.CompressionCodec, error) {
	switch name {
	case "none":
		return kgo.NoCompression(), nil
	case "gzip":
		return kgo.GzipCompression(), nil
	case "snappy":
		return kgo.SnappyCompression(), nil
	case "lz4":
		return kgo.Lz4Compression(), nil
	case "zstd":
		return kgo.ZstdCompression(), nil
	}
	return kgo.NoCompression(), fmt.Errorf("unknown codec %q", name)
}

// produceCmd produces n records (key k<i>, value <prefix><i>, headers i=<i> and codec=<codec>)
// synchronously and reports where each partition's records landed.
func produceCmd(args []string) (any, error) {
	fs, b, timeout := newFlags("produce")
	topic := fs.String("topic", "", "topic")
	n := fs.Int("n", 10, "records")
	codecName := fs.String("codec", "none", "none|gzip|snappy|lz4|zstd")
	acks := fs.String("acks", "all", "all|leader|none")
	partition := fs.Int("partition", -1, "partition (-1: franz-go's default partitioner)")
	prefix := fs.String("prefix", "v", "value prefix")
	linger := fs.Int("batch", 0, "records per ProduceSync call (0: all at once)")
	partitions := fs.Int("partitions", 0, "create the topic with this many partitions first")
	autoCreate := fs.Bool("auto-create", false, "let Metadata create the topic (AllowAutoTopicCreation)")
	fs.Parse(args)

	c, err := codec(*codecName)
	if err != nil {
		return nil, err
	}
	opts := []kgo.Opt{seeds(*b), logger(), kgo.ProducerBatchCompression(c), kgo.DefaultProduceTopic(*topic)}
	switch *acks {
	case "all":
		opts = append(opts, kgo.RequiredAcks(kgo.AllISRAcks()))
	case "leader":
		opts = append(opts, kgo.RequiredAcks(kgo.LeaderAck()), kgo.DisableIdempotentWrite())
	case "none":
		opts = append(opts, kgo.RequiredAcks(kgo.NoAck()), kgo.DisableIdempotentWrite())
	default:
		return nil, fmt.Errorf("unknown acks %q", *acks)
	}
	if *autoCreate {
		opts = append(opts, kgo.AllowAutoTopicCreation())
	}
	if *partition >= 0 {
		opts = append(opts, kgo.RecordPartitioner(kgo.ManualPartitioner()))
	}
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	ctx, cancel := ctxFor(*timeout)
	defer cancel()
	if err := ensureTopics(ctx, *b, *partitions, *topic); err != nil {
		return nil, err
	}

	records := make([]*kgo.Record, *n)
	for i := range records {
		records[i] = &kgo.Record{
			Key:       []byte("k" + strconv.Itoa(i)),
			Value:     []byte(*prefix + strconv.Itoa(i)),
			Partition: int32(*partition),
			Headers:   []kgo.RecordHeader{{Key: "i", Value: []byte(strconv.Itoa(i))}, {Key: "codec", Value: []byte(*codecName)}},
		}
	}
	step := *linger
	if step <= 0 {
		step = len(records)
	}
	type span struct {
		First int64 `json:"first"`
		Last  int64 `json:"last"`
		Count int   `json:"count"`
	}
	spans := map[int32]*span{}
	var producerID int64 = -1
	for start := 0; start < len(records); start += step {
		end := min(start+step, len(records))
		if err := cl.ProduceSync(ctx, records[start:end]...).FirstErr(); err != nil {
			return nil, err
		}
	}
	for _, r := range records {
		s := spans[r.Partition]
		if s == nil {
			s = &span{First: r.Offset, Last: r.Offset}
			spans[r.Partition] = s
		}
		s.First, s.Last, s.Count = min(s.First, r.Offset), max(s.Last, r.Offset), s.Count+1
		producerID = r.ProducerID
	}
	return map[string]any{"produced": len(records), "partitions": spans, "producerId": producerID}, nil
}
