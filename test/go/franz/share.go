package main

// franz share -b host:port -topic t -group g -n 6: franz-go's share consumer (kgo.ShareGroup,
// KIP-932) reads the topic through share group g (whose share.auto.offset.reset the test set):
// even offsets are accepted, odd ones released on their first delivery and accepted when they
// come back. Prints the deliveries as "offset:deliveryCount:ack" in order.

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"
)

func init() { commands["share"] = shareCmd }

func shareCmd(args []string) (any, error) {
	fs, b, timeout := newFlags("share")
	topic := fs.String("topic", "", "topic")
	group := fs.String("group", "", "share group")
	n := fs.Int("n", 6, "records to accept")
	fs.Parse(args)

	cl, err := kgo.NewClient(seeds(*b), logger(), kgo.ConsumeTopics(*topic), kgo.ShareGroup(*group))
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	var log []string
	accepted := map[int64]bool{}
	for len(accepted) < *n {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return nil, fmt.Errorf("timed out with %d accepted: %v", len(accepted), log)
		}
		for _, e := range fetches.Errors() {
			return nil, fmt.Errorf("fetch %s[%d]: %w", e.Topic, e.Partition, e.Err)
		}
		fetches.EachRecord(func(r *kgo.Record) {
			if r.Offset%2 == 1 && r.DeliveryCount() == 1 {
				r.Ack(kgo.AckRelease)
				log = append(log, fmt.Sprintf("%d:%d:release", r.Offset, r.DeliveryCount()))
				return
			}
			r.Ack(kgo.AckAccept)
			accepted[r.Offset] = true
			log = append(log, fmt.Sprintf("%d:%d:accept", r.Offset, r.DeliveryCount()))
		})
		if err := cl.FlushAcks(ctx); err != nil {
			return nil, err
		}
	}
	return map[string]any{"log": log, "accepted": len(accepted)}, nil
}
