package main

import (
	"github.com/twmb/franz-go/pkg/kgo"
)

// epochs-group (test/integration/leader-epoch-checkpoint.test.ts): a group member reading n
// records of a topic and committing them. With -reset none, no offset reset is allowed: the member
// resumes from the committed position (franz-go validates it with OffsetForLeaderEpoch, KIP-320, and
// fetches with last_fetched_epoch), and any fetch error is reported instead of records.
func init() { commands["epochs-group"] = epochsGroupCmd }

func epochsGroupCmd(args []string) (any, error) {
	fs, b, timeout := newFlags("epochs-group")
	topic := fs.String("topic", "", "topic")
	group := fs.String("group", "", "group")
	n := fs.Int("n", 1, "records to read")
	reset := fs.String("reset", "start", "start|none")
	fs.Parse(args)

	offset := kgo.NewOffset().AtStart()
	if *reset == "none" {
		offset = kgo.NoResetOffset()
	}
	cl, err := kgo.NewClient(seeds(*b), logger(), kgo.ClientID("epochs-franz"), kgo.ConsumerGroup(*group), kgo.ConsumeTopics(*topic),
		kgo.DisableAutoCommit(), kgo.ConsumeResetOffset(offset))
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	ctx, cancel := ctxFor(*timeout)
	defer cancel()

	got := []rec{}
	errs := []string{}
	for len(got) < *n && len(errs) == 0 && ctx.Err() == nil {
		fetches := cl.PollFetches(ctx)
		fetches.EachError(func(t string, p int32, err error) {
			if err != ctx.Err() {
				errs = append(errs, err.Error())
			}
		})
		fetches.EachRecord(func(r *kgo.Record) { got = append(got, toRec(r)) })
	}
	if err := cl.CommitUncommittedOffsets(ctx); err != nil {
		errs = append(errs, "commit: "+err.Error())
	}
	return map[string]any{"records": got, "errors": errs}, nil
}
