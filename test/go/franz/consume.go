package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/twmb/franz-go/pkg/kgo"
)

// rec is a consumed record as the tests see it.
type rec struct {
	P int32             `json:"p"`
	O int64             `json:"o"`
	K string            `json:"k"`
	V string            `json:"v"`
	H map[string]string `json:"h,omitempty"`
}

func toRec(r *kgo.Record) rec {
	out := rec{P: r.Partition, O: r.Offset, K: string(r.Key), V: string(r.Value)}
	if len(r.Headers) > 0 {
		out.H = map[string]string{}
		for _, h := range r.Headers {
			out.H[h.Key] = string(h.Value)
		}
	}
	return out
}

func isolation(name string) (kgo.IsolationLevel, error) {
	switch name {
	case "committed":
		return kgo.ReadCommitted(), nil
	case "uncommitted":
		return kgo.ReadUncommitted(), nil
	}
	return kgo.ReadUncommitted(), fmt.Errorf("unknown isolation %q", name)
}

// consumeCmd reads n records from the start of a topic without a group: all partitions, or
// the ones named by -partitions, which franz-go assigns directly (ConsumePartitions).
func consumeCmd(args []string) (any, error) {
	fs, b, timeout := newFlags("consume")
	topic := fs.String("topic", "", "topic")
	n := fs.Int("n", 10, "records to read")
	iso := fs.String("isolation", "uncommitted", "committed|uncommitted")
	parts := fs.String("partitions", "", "comma-separated partitions (default: every partition)")
	fs.Parse(args)

	level, err := isolation(*iso)
	if err != nil {
		return nil, err
	}
	opts := []kgo.Opt{seeds(*b), logger(), kgo.FetchIsolationLevel(level)}
	if *parts == "" {
		opts = append(opts, kgo.ConsumeTopics(*topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	} else {
		assign := map[int32]kgo.Offset{}
		for _, p := range strings.Split(*parts, ",") {
			i, err := strconv.Atoi(p)
			if err != nil {
				return nil, err
			}
			assign[int32(i)] = kgo.NewOffset().AtStart()
		}
		opts = append(opts, kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{*topic: assign}))
	}
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	ctx, cancel := ctxFor(*timeout)
	defer cancel()

	var got []rec
	for len(got) < *n {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return nil, fmt.Errorf("read %d of %d records before the timeout", len(got), *n)
		}
		if errs := fetches.Errors(); len(errs) > 0 {
			return nil, fmt.Errorf("fetch %s[%d]: %w", errs[0].Topic, errs[0].Partition, errs[0].Err)
		}
		fetches.EachRecord(func(r *kgo.Record) { got = append(got, toRec(r)) })
	}
	sort.Slice(got, func(i, j int) bool { return got[i].P < got[j].P || got[i].P == got[j].P && got[i].O < got[j].O })
	return map[string]any{"records": got}, nil
}
