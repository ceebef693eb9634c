package main

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// adminCmd runs one kadm scenario on fresh topics <prefix>-a and <prefix>-b and group
// <prefix>-g, printing one JSON line per step and, last, every step's result by name. The
// results leave out what differs between two correct brokers (ids, timestamps, byte sizes), so
// a test can compare kafkalite's with Apache Kafka's field by field.
func adminCmd(args []string) (any, error) {
	fs, b, timeout := newFlags("admin")
	prefix := fs.String("prefix", "adm", "name prefix of the topics, group and transactional id")
	fs.Parse(args)
	ctx, cancel := ctxFor(*timeout)
	defer cancel()
	cl, err := kgo.NewClient(seeds(*b), logger())
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	a, bb, g, txnID := *prefix+"-a", *prefix+"-b", *prefix+"-g", *prefix+"-txn"

	results := map[string]any{}
	var failed error
	step := func(name string, fn func() (any, error)) {
		if failed != nil {
			return
		}
		out, err := fn()
		if err != nil {
			failed = errors.New(name + ": " + err.Error())
			return
		}
		results[name] = out
		emit(map[string]any{"step": name, "result": out})
	}
	str := func(s string) *string { return &s }

	step("createTopics", func() (any, error) {
		res, err := adm.CreateTopics(ctx, 3, 1, map[string]*string{"retention.ms": str("3600000")}, a, bb)
		if err != nil {
			return nil, err
		}
		out := map[string]any{}
		for _, r := range res {
			out[r.Topic] = map[string]any{
				"err": code(r.Err), "msg": r.ErrMessage, "partitions": r.NumPartitions, "rf": r.ReplicationFactor,
				"retention.ms": configOut(r.Configs["retention.ms"]), "cleanup.policy": configOut(r.Configs["cleanup.policy"]),
			}
		}
		return out, nil
	})
	step("createExisting", func() (any, error) {
		return createOne(ctx, adm, a, nil)
	})
	step("createInvalidConfig", func() (any, error) {
		return createOne(ctx, adm, *prefix+"-bad", map[string]*string{"cleanup.policy": str("sometimes")})
	})
	step("createValidateOnly", func() (any, error) {
		res, err := adm.ValidateCreateTopics(ctx, 2, 1, nil, *prefix+"-dry")
		if err != nil {
			return nil, err
		}
		r := res[*prefix+"-dry"]
		return map[string]any{"err": code(r.Err), "msg": r.ErrMessage, "partitions": r.NumPartitions}, nil
	})
	listTopics := func() (any, error) {
		td, err := adm.ListTopics(ctx, a, bb, *prefix+"-dry")
		if err != nil {
			return nil, err
		}
		out := map[string]any{}
		for _, t := range td {
			if t.Err != nil {
				out[t.Topic] = code(t.Err)
				continue
			}
			var parts []map[string]any
			for _, p := range t.Partitions.Sorted() {
				parts = append(parts, map[string]any{"p": p.Partition, "leader": p.Leader, "replicas": p.Replicas, "isr": p.ISR, "err": code(p.Err)})
			}
			out[t.Topic] = map[string]any{"internal": t.IsInternal, "partitions": parts}
		}
		return out, nil
	}
	// Kafka's broker learns of new topics when it replays the controller's records: wait for both.
	step("listTopics", func() (any, error) {
		for {
			out, err := listTopics()
			if err != nil {
				return nil, err
			}
			_, aErr := out.(map[string]any)[a].(string)
			_, bErr := out.(map[string]any)[bb].(string)
			if !aErr && !bErr || ctx.Err() != nil {
				return out, nil
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
	describe := func(keys ...string) func() (any, error) {
		return func() (any, error) {
			rc, err := adm.DescribeTopicConfigs(ctx, a)
			if err != nil {
				return nil, err
			}
			r := rc[0]
			out := map[string]any{"err": code(r.Err)}
			var names []string
			for _, c := range r.Configs {
				names = append(names, c.Key)
				for _, k := range keys {
					if c.Key == k {
						out[k] = configOut(c)
					}
				}
			}
			sort.Strings(names)
			out["names"] = names
			return out, nil
		}
	}
	step("describeConfigs", describe("retention.ms", "cleanup.policy", "segment.bytes", "min.insync.replicas", "compression.type", "max.message.bytes", "message.timestamp.type", "unclean.leader.election.enable"))
	alter := func(cs ...kadm.AlterConfig) (any, error) {
		res, err := adm.AlterTopicConfigs(ctx, cs, a)
		if err != nil {
			return nil, err
		}
		return map[string]any{"err": code(res[0].Err), "msg": res[0].ErrMessage}, nil
	}
	step("alterIncremental", func() (any, error) {
		return alter(
			kadm.AlterConfig{Op: kadm.SetConfig, Name: "retention.ms", Value: str("7200000")},
			kadm.AlterConfig{Op: kadm.AppendConfig, Name: "cleanup.policy", Value: str("compact")},
			kadm.AlterConfig{Op: kadm.SetConfig, Name: "max.message.bytes", Value: str("2000000")},
		)
	})
	step("alterDelete", func() (any, error) {
		return alter(kadm.AlterConfig{Op: kadm.DeleteConfig, Name: "max.message.bytes"})
	})
	// Kafka applies altered configs when its broker replays the controller's records: wait for both
	// alterations (the set of retention.ms and the later delete of max.message.bytes).
	step("describeAltered", eventually(ctx, `"value":"7200000"`, describe("retention.ms", "cleanup.policy", "max.message.bytes"), `"value":"2000000"`))
	step("alterNotANumber", func() (any, error) {
		return alter(kadm.AlterConfig{Op: kadm.SetConfig, Name: "retention.ms", Value: str("soon")})
	})
	step("alterUnknownName", func() (any, error) {
		return alter(kadm.AlterConfig{Op: kadm.SetConfig, Name: "no.such.config", Value: str("1")})
	})
	step("createPartitions", func() (any, error) {
		res, err := adm.CreatePartitions(ctx, 2, a)
		if err != nil {
			return nil, err
		}
		shrink, err := adm.UpdatePartitions(ctx, 2, a)
		if err != nil {
			return nil, err
		}
		md, err := adm.Metadata(ctx, a)
		if err != nil {
			return nil, err
		}
		return map[string]any{
			"err": code(res[a].Err), "msg": res[a].ErrMessage, "partitions": len(md.Topics[a].Partitions),
			"shrinkErr": code(shrink[a].Err), "shrinkMsg": shrink[a].ErrMessage,
		}, nil
	})
	step("produce", func() (any, error) {
		// Timestamps are set, not taken at produce time, so the two brokers see the same ones: one
		// millisecond apart, with the greatest at offset 3 of partition 0 and offset 1 of partition 1.
		var rs []*kgo.Record
		base := time.Now().Add(-time.Minute).Truncate(time.Second)
		for i := 0; i < 15; i++ {
			ts := base.Add(time.Duration(i%10) * time.Millisecond)
			if i == 3 || i == 11 {
				ts = base.Add(time.Second)
			}
			rs = append(rs, &kgo.Record{Topic: a, Partition: int32(i / 10), Key: []byte{byte('a' + i)}, Value: []byte("v"), Timestamp: ts})
		}
		pcl, err := kgo.NewClient(seeds(*b), logger(), kgo.RecordPartitioner(kgo.ManualPartitioner()))
		if err != nil {
			return nil, err
		}
		defer pcl.Close()
		return nil, pcl.ProduceSync(ctx, rs...).FirstErr()
	})
	listed := func(lo kadm.ListedOffsets, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		out := map[int32]any{}
		lo.Each(func(o kadm.ListedOffset) {
			out[o.Partition] = map[string]any{"offset": o.Offset, "err": code(o.Err)}
		})
		return out, nil
	}
	step("listStartOffsets", func() (any, error) { return listed(adm.ListStartOffsets(ctx, a)) })
	step("listEndOffsets", func() (any, error) { return listed(adm.ListEndOffsets(ctx, a)) })
	step("listMaxTimestampOffsets", func() (any, error) { return listed(adm.ListMaxTimestampOffsets(ctx, a)) })
	step("deleteRecords", func() (any, error) {
		os := kadm.Offsets{}
		os.Add(kadm.Offset{Topic: a, Partition: 0, At: 4})
		os.Add(kadm.Offset{Topic: a, Partition: 1, At: 99})
		res, err := adm.DeleteRecords(ctx, os)
		if err != nil {
			return nil, err
		}
		out := map[int32]any{}
		for p, r := range res[a] {
			out[p] = map[string]any{"low": r.LowWatermark, "err": code(r.Err)}
		}
		return out, nil
	})
	step("listStartOffsetsAfterDelete", func() (any, error) { return listed(adm.ListStartOffsets(ctx, a)) })
	step("commitOffsets", func() (any, error) {
		os := kadm.Offsets{}
		os.Add(kadm.Offset{Topic: a, Partition: 0, At: 7, LeaderEpoch: -1, Metadata: "m"})
		os.Add(kadm.Offset{Topic: a, Partition: 1, At: 2, LeaderEpoch: -1})
		res, err := adm.CommitOffsets(ctx, g, os)
		if err != nil {
			return nil, err
		}
		out := map[int32]any{}
		res.Each(func(o kadm.OffsetResponse) { out[o.Partition] = code(o.Err) })
		return out, nil
	})
	step("fetchOffsets", func() (any, error) {
		res, err := adm.FetchOffsets(ctx, g)
		if err != nil {
			return nil, err
		}
		out := map[string]any{}
		res.Each(func(o kadm.OffsetResponse) {
			out[o.Topic+"/"+itoa(o.Partition)] = map[string]any{"at": o.At, "metadata": o.Metadata, "err": code(o.Err)}
		})
		return out, nil
	})
	step("lag", func() (any, error) {
		lags, err := adm.Lag(ctx, g)
		if err != nil {
			return nil, err
		}
		l := lags[g]
		out := map[string]any{"state": l.State, "describeErr": code(l.DescribeErr), "fetchErr": code(l.FetchErr)}
		for _, m := range l.Lag.Sorted() {
			out[m.Topic+"/"+itoa(m.Partition)] = map[string]any{"lag": m.Lag, "commit": m.Commit.At, "end": m.End.Offset}
		}
		return out, nil
	})
	step("describeGroups", func() (any, error) {
		ds, err := adm.DescribeGroups(ctx, g, *prefix+"-nosuch")
		if err != nil {
			return nil, err
		}
		out := map[string]any{}
		for _, d := range ds {
			out[d.Group] = map[string]any{"state": d.State, "protocolType": d.ProtocolType, "protocol": d.Protocol, "members": len(d.Members), "err": code(d.Err), "msg": d.ErrMessage}
		}
		return out, nil
	})
	step("listGroups", func() (any, error) {
		ls, err := adm.ListGroups(ctx)
		if err != nil {
			return nil, err
		}
		l, ok := ls[g]
		return map[string]any{"found": ok, "state": l.State, "type": l.GroupType, "protocolType": l.ProtocolType}, nil
	})

	var txn *kgo.Client
	step("transactionOngoing", func() (any, error) {
		txn, err = kgo.NewClient(seeds(*b), logger(), kgo.TransactionalID(txnID), kgo.RecordPartitioner(kgo.ManualPartitioner()), kgo.TransactionTimeout(45000*1e6))
		if err != nil {
			return nil, err
		}
		if err := txn.BeginTransaction(); err != nil {
			return nil, err
		}
		for i := 0; i < 3; i++ {
			if err := txn.ProduceSync(ctx, &kgo.Record{Topic: bb, Partition: 1, Value: []byte("t")}).FirstErr(); err != nil {
				return nil, err
			}
		}
		return describeTxn(ctx, adm, bb, txnID)
	})
	step("transactionCommitted", func() (any, error) {
		if err := txn.EndTransaction(ctx, kgo.TryCommit); err != nil {
			return nil, err
		}
		txn.Close()
		// Kafka answers EndTxn in PrepareCommit, before its markers are written: wait for them.
		return eventually(ctx, `"state":"CompleteCommit"`, func() (any, error) { return describeTxn(ctx, adm, bb, txnID) })()
	})
	step("describeLogDirs", func() (any, error) {
		ds, err := adm.DescribeAllLogDirs(ctx, nil)
		if err != nil {
			return nil, err
		}
		out := map[string]any{}
		dirs := 0
		ds.Each(func(d kadm.DescribedLogDir) {
			dirs++
			for p, dp := range d.Topics[a] {
				out[a+"/"+itoa(p)] = map[string]any{"nonEmpty": dp.Size > 0, "future": dp.IsFuture, "offsetLag": dp.OffsetLag}
			}
			out["err"] = code(d.Err)
			out["totalBytesKnown"] = d.TotalBytes > 0
		})
		out["dirs"] = dirs
		return out, nil
	})
	step("cluster", func() (any, error) {
		md, err := adm.BrokerMetadata(ctx)
		if err != nil {
			return nil, err
		}
		var ids []int32
		for _, br := range md.Brokers {
			ids = append(ids, br.NodeID)
		}
		return map[string]any{"brokers": ids, "controllerIsBroker": len(ids) == 1 && md.Controller == ids[0], "clusterId": md.Cluster != ""}, nil
	})
	step("apiVersions", func() (any, error) {
		vs, err := adm.ApiVersions(ctx)
		if err != nil {
			return nil, err
		}
		out := map[string]any{}
		for _, v := range vs {
			out["err"] = code(v.Err)
			keys := 0
			v.EachKeySorted(func(key, _, max int16) {
				keys++
				if name := kmsgName(key); name != "" {
					out[name] = max
				}
			})
			out["keys"] = keys
		}
		return out, nil
	})
	step("deleteGroups", func() (any, error) {
		first, err := adm.DeleteGroups(ctx, g)
		if err != nil {
			return nil, err
		}
		again, err := adm.DeleteGroups(ctx, g)
		if err != nil {
			return nil, err
		}
		return map[string]any{"err": code(first[g].Err), "againErr": code(again[g].Err)}, nil
	})
	step("deleteTopics", func() (any, error) {
		first, err := adm.DeleteTopics(ctx, a, bb)
		if err != nil {
			return nil, err
		}
		again, err := adm.DeleteTopics(ctx, a)
		if err != nil {
			return nil, err
		}
		out := map[string]any{"againErr": code(again[a].Err), "againMsg": again[a].ErrMessage}
		for _, r := range first {
			out[r.Topic] = code(r.Err)
		}
		return out, nil
	})
	if failed != nil {
		return nil, failed
	}
	return map[string]any{"steps": results}, nil
}

func describeTxn(ctx context.Context, adm *kadm.Client, topic, txnID string) (any, error) {
	ps, err := adm.DescribeProducers(ctx, kadm.TopicsSet{topic: {1: {}}})
	if err != nil {
		return nil, err
	}
	var producers []map[string]any
	for _, t := range ps {
		for _, p := range t.Partitions {
			for _, d := range p.ActiveProducers.Sorted() {
				producers = append(producers, map[string]any{"epoch": d.ProducerEpoch, "lastSequence": d.LastSequence, "txnStartOffset": d.CurrentTxnStartOffset})
			}
		}
	}
	ts, err := adm.DescribeTransactions(ctx, txnID)
	if err != nil {
		return nil, err
	}
	t := ts[txnID]
	topics := map[string][]int32{}
	for tp, parts := range t.Topics {
		for p := range parts {
			topics[tp] = append(topics[tp], p)
		}
	}
	lt, err := adm.ListTransactions(ctx, nil, nil)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"producers": producers, "state": t.State, "timeoutMs": t.TimeoutMillis, "topics": topics, "err": code(t.Err),
		"listedState": lt[txnID].State,
	}, nil
}

// code is an error's Kafka name (TOPIC_ALREADY_EXISTS), or its text when it is not a Kafka error.
func code(err error) string {
	if err == nil {
		return ""
	}
	var ke *kerr.Error
	if errors.As(err, &ke) {
		return ke.Message
	}
	return err.Error()
}

// eventually repeats fn until its result, as JSON, contains want and none of unwanted (or the
// context ends).
func eventually(ctx context.Context, want string, fn func() (any, error), unwanted ...string) func() (any, error) {
	return func() (any, error) {
		for {
			out, err := fn()
			if err != nil {
				return nil, err
			}
			b, _ := json.Marshal(out)
			done := strings.Contains(string(b), want)
			for _, u := range unwanted {
				done = done && !strings.Contains(string(b), u)
			}
			if done || ctx.Err() != nil {
				return out, nil
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// createOne creates one topic with one partition and reports the topic's error and message.
func createOne(ctx context.Context, adm *kadm.Client, topic string, configs map[string]*string) (any, error) {
	res, err := adm.CreateTopics(ctx, 1, 1, configs, topic)
	if err != nil {
		return nil, err
	}
	return map[string]any{"err": code(res[topic].Err), "msg": res[topic].ErrMessage}, nil
}

func configOut(c kadm.Config) map[string]any {
	v := "<null>"
	if c.Value != nil {
		v = *c.Value
	}
	return map[string]any{"value": v, "source": c.Source.String(), "sensitive": c.Sensitive}
}
