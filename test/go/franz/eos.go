package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// eosCmd is consume-transform-produce with kgo.GroupTransactSession: the n records produced
// here to -in (spread over its partitions) are read in the group, upper-cased and written to
// -out in transactions that also commit the group's offsets. The first transaction that read
// anything is aborted on purpose, so its input is read again from the committed offsets. It
// reports what a read_committed and a read_uncommitted consumer then see in -out, and the
// group's committed offsets on -in.
func eosCmd(args []string) (any, error) {
	fs, b, timeout := newFlags("eos")
	in := fs.String("in", "", "input topic")
	out := fs.String("out", "", "output topic")
	group := fs.String("group", "", "group")
	txnID := fs.String("txn", "franz-eos", "transactional.id")
	n := fs.Int("n", 60, "input records")
	partitions := fs.Int("partitions", 0, "create both topics with this many partitions first")
	fs.Parse(args)
	ctx, cancel := ctxFor(*timeout)
	defer cancel()
	if err := ensureTopics(ctx, *b, *partitions, *in, *out); err != nil {
		return nil, err
	}

	seed, err := kgo.NewClient(seeds(*b), logger(), kgo.RecordPartitioner(kgo.RoundRobinPartitioner()))
	if err != nil {
		return nil, err
	}
	defer seed.Close()
	var inputs []*kgo.Record
	for i := 0; i < *n; i++ {
		inputs = append(inputs, &kgo.Record{Topic: *in, Value: []byte("rec-" + strconv.Itoa(i))})
	}
	if err := seed.ProduceSync(ctx, inputs...).FirstErr(); err != nil {
		return nil, err
	}

	s, err := kgo.NewGroupTransactSession(
		seeds(*b), logger(), kgo.TransactionalID(*txnID), kgo.DefaultProduceTopic(*out), kgo.RequiredAcks(kgo.AllISRAcks()),
		kgo.ConsumerGroup(*group), kgo.ConsumeTopics(*in), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
	)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	committedIn, aborted, commits, aborts := 0, 0, 0, 0
	for committedIn < *n {
		fetches := s.PollRecords(ctx, 15)
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%d of %d input records committed before the timeout", committedIn, *n)
		}
		if errs := fetches.Errors(); len(errs) > 0 {
			return nil, fmt.Errorf("fetch %s[%d]: %w", errs[0].Topic, errs[0].Partition, errs[0].Err)
		}
		if fetches.NumRecords() == 0 {
			continue
		}
		if err := s.Begin(); err != nil {
			return nil, err
		}
		read := 0
		fetches.EachRecord(func(r *kgo.Record) {
			read++
			s.Produce(ctx, &kgo.Record{Key: r.Value, Value: []byte(strings.ToUpper(string(r.Value)))}, func(_ *kgo.Record, err error) {
				if err != nil {
					fmt.Fprintln(os.Stderr, "produce:", err)
				}
			})
		})
		try := kgo.TryCommit
		if aborts == 0 {
			// the aborted records reach the log (read_uncommitted sees them) before the abort
			if err := s.Client().Flush(ctx); err != nil {
				return nil, err
			}
			try = kgo.TryAbort
		}
		committed, err := s.End(ctx, try)
		if err != nil {
			return nil, err
		}
		if committed {
			committedIn += read
			commits++
		} else {
			aborted += read
			aborts++
		}
	}

	readOut := func(level kgo.IsolationLevel, want int) (map[string]int, error) {
		cl, err := kgo.NewClient(seeds(*b), logger(), kgo.ConsumeTopics(*out), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchIsolationLevel(level))
		if err != nil {
			return nil, err
		}
		defer cl.Close()
		got := map[string]int{}
		total := 0
		for total < want {
			fetches := cl.PollFetches(ctx)
			if ctx.Err() != nil {
				return nil, fmt.Errorf("read %d of %d output records before the timeout", total, want)
			}
			fetches.EachRecord(func(r *kgo.Record) {
				got[string(r.Value)]++
				total++
			})
		}
		return got, nil
	}
	adm := kadm.NewClient(seed)
	ends, err := adm.ListEndOffsets(ctx, *out)
	if err != nil {
		return nil, err
	}
	// Each partition's end offset counts the records, aborted ones and one marker per transaction.
	var outEnd int64
	ends.Each(func(o kadm.ListedOffset) { outEnd += o.Offset })
	committedView, err := readOut(kgo.ReadCommitted(), *n)
	if err != nil {
		return nil, err
	}
	uncommittedView, err := readOut(kgo.ReadUncommitted(), *n+aborted)
	if err != nil {
		return nil, err
	}
	once := 0
	for _, c := range committedView {
		if c == 1 {
			once++
		}
	}
	fetched, err := adm.FetchOffsets(ctx, *group)
	if err != nil {
		return nil, err
	}
	offsets := map[int32]int64{}
	fetched.Each(func(o kadm.OffsetResponse) {
		if o.Topic == *in {
			offsets[o.Partition] = o.At
		}
	})
	txns, err := adm.DescribeTransactions(ctx, *txnID)
	if err != nil && !errors.Is(err, context.Canceled) {
		return nil, err
	}
	return map[string]any{
		"commits": commits, "aborts": aborts, "abortedRecords": aborted,
		"committedDistinct": len(committedView), "committedExactlyOnce": once,
		"uncommittedTotal": sum(uncommittedView), "outEndOffsets": outEnd, "groupOffsets": offsets,
		"txnState": txns[*txnID].State,
	}, nil
}

func sum(m map[string]int) int {
	t := 0
	for _, c := range m {
		t += c
	}
	return t
}
