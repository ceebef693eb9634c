// franz share-members: KIP-932 share group membership through franz-go's own protocol codecs (kmsg
// ShareGroupHeartbeat v1 and ShareGroupDescribe v1 sent with kgo, which finds the group's
// coordinator): -members members join with ids they make, heartbeat until every partition of
// -topic is assigned, the group is described, the first member leaves, the rest take its
// partitions. Prints what each step saw.
//
//	franz share-members -b host:port -group g -topic t -members 2
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

func init() { commands["share-members"] = shareMembersCmd }

type shareMember struct {
	id       string
	epoch    int32
	assigned map[string][]int32
}

type shareDescribed struct {
	State           string         `json:"state"`
	GroupEpoch      int32          `json:"groupEpoch"`
	AssignmentEpoch int32          `json:"assignmentEpoch"`
	Assignor        string         `json:"assignor"`
	Members         map[string]int `json:"members"`
}

func shareMembersCmd(args []string) (any, error) {
	fs, b, timeout := newFlags("share-members")
	group := fs.String("group", "", "share group id")
	topic := fs.String("topic", "", "topic to subscribe to")
	n := fs.Int("members", 2, "members")
	_ = fs.Parse(args)
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	cl, err := kgo.NewClient(seeds(*b), logger())
	if err != nil {
		return nil, err
	}
	defer cl.Close()

	heartbeat := func(m *shareMember, epoch int32, topics []string) (*kmsg.ShareGroupHeartbeatResponse, error) {
		req := kmsg.NewPtrShareGroupHeartbeatRequest()
		req.GroupID, req.MemberID, req.MemberEpoch, req.SubscribedTopicNames = *group, m.id, epoch, topics
		resp, err := req.RequestWith(ctx, cl)
		if err != nil {
			return nil, err
		}
		if err := kerr.ErrorForCode(resp.ErrorCode); err != nil {
			return resp, fmt.Errorf("member %s epoch %d: %w", m.id, epoch, err)
		}
		if epoch >= 0 {
			m.epoch = resp.MemberEpoch
		}
		if resp.Assignment != nil {
			m.assigned = map[string][]int32{}
			for _, t := range resp.Assignment.TopicPartitions {
				key := hex.EncodeToString(t.TopicID[:])
				m.assigned[key] = append(m.assigned[key], t.Partitions...)
			}
		}
		return resp, nil
	}
	count := func(ms []*shareMember) int {
		total := 0
		for _, m := range ms {
			for _, ps := range m.assigned {
				total += len(ps)
			}
		}
		return total
	}
	describe := func() (*shareDescribed, error) {
		req := kmsg.NewPtrShareGroupDescribeRequest()
		req.GroupIDs = []string{*group}
		resp, err := req.RequestWith(ctx, cl)
		if err != nil {
			return nil, err
		}
		g := resp.Groups[0]
		if err := kerr.ErrorForCode(g.ErrorCode); err != nil {
			return nil, err
		}
		d := &shareDescribed{State: g.GroupState, GroupEpoch: g.GroupEpoch, AssignmentEpoch: g.AssignmentEpoch, Assignor: g.Assignor, Members: map[string]int{}}
		for _, m := range g.Members {
			c := 0
			for _, t := range m.Assignment.TopicPartitions {
				c += len(t.Partitions)
			}
			d.Members[m.MemberID] = c
		}
		return d, nil
	}
	// Heartbeats every member until the partitions of the topic are assigned `want` times in all.
	settle := func(ms []*shareMember, want int) error {
		for count(ms) != want {
			if ctx.Err() != nil {
				return errors.New("the assignment never settled")
			}
			time.Sleep(200 * time.Millisecond)
			for _, m := range ms {
				if _, err := heartbeat(m, m.epoch, nil); err != nil {
					return err
				}
			}
		}
		return nil
	}

	md := kmsg.NewPtrMetadataRequest()
	mt := kmsg.NewMetadataRequestTopic()
	mt.Topic = topic
	md.Topics = append(md.Topics, mt)
	mresp, err := md.RequestWith(ctx, cl)
	if err != nil {
		return nil, err
	}
	partitions := len(mresp.Topics[0].Partitions)

	members := make([]*shareMember, *n)
	joinEpochs := []int32{}
	for i := range members {
		raw := make([]byte, 11)
		_, _ = rand.Read(raw)
		members[i] = &shareMember{id: hex.EncodeToString(raw)}
		if _, err := heartbeat(members[i], 0, []string{*topic}); err != nil {
			return nil, err
		}
		joinEpochs = append(joinEpochs, members[i].epoch)
	}
	want := partitions
	if *n > partitions {
		want = *n
	}
	if err := settle(members, want); err != nil {
		return nil, err
	}
	before, err := describe()
	if err != nil {
		return nil, err
	}
	counts := []int{}
	for _, m := range members {
		c := 0
		for _, ps := range m.assigned {
			c += len(ps)
		}
		counts = append(counts, c)
	}
	sort.Ints(counts)
	left, err := heartbeat(members[0], -1, nil)
	if err != nil {
		return nil, err
	}
	rest := members[1:]
	wantAfter := partitions
	if len(rest) > partitions {
		wantAfter = len(rest)
	}
	if err := settle(rest, wantAfter); err != nil {
		return nil, err
	}
	after, err := describe()
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"joinEpochs":     joinEpochs,
		"counts":         counts,
		"before":         before,
		"leftEpoch":      left.MemberEpoch,
		"after":          after,
		"leftMemberGone": after.Members[members[0].id] == 0 && len(after.Members) == len(rest),
	}, nil
}
