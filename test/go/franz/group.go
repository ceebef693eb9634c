package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// member is one consumer of the group: its client, what it was assigned and what it read.
type member struct {
	cl       *kgo.Client
	apis     *apiCounter
	mu       sync.Mutex
	assigned map[int32]bool
	read     []rec
}

func (m *member) partitions() []int32 {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ps []int32
	for p := range m.assigned {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i] < ps[j] })
	return ps
}

// groupCmd runs -members consumers in one group on one topic, each polling with rebalances
// blocked until what it read is committed. The first member starts alone and reads the first
// half of the records (produced here, spread over every partition); the others then join, the
// group rebalances, and the second half is produced and read. Every member commits before it
// lets a rebalance go on, so no record should be read twice; the committed offsets are fetched
// with kadm at the end.
func groupCmd(args []string) (any, error) {
	fs, b, timeout := newFlags("group")
	topic := fs.String("topic", "", "topic")
	group := fs.String("group", "", "group")
	n := fs.Int("n", 100, "records to produce and read (half before the others join)")
	members := fs.Int("members", 2, "group members")
	protocol := fs.String("protocol", "classic", "classic (JoinGroup/SyncGroup, cooperative-sticky) or consumer (KIP-848 heartbeat, server-side uniform assignor)")
	partitions := fs.Int("partitions", 0, "create the topic with this many partitions first")
	regex := fs.String("regex", "", "subscribe with this regular expression (kgo.ConsumeRegex; KIP-848 sends it as SubscribedTopicRegex) instead of the topic's name")
	fs.Parse(args)

	ctx, cancel := ctxFor(*timeout)
	defer cancel()
	if err := ensureTopics(ctx, *b, *partitions, *topic); err != nil {
		return nil, err
	}
	adm, err := kgo.NewClient(seeds(*b), logger())
	if err != nil {
		return nil, err
	}
	defer adm.Close()
	admin := kadm.NewClient(adm)
	md, err := admin.Metadata(ctx, *topic)
	if err != nil {
		return nil, err
	}
	numPartitions := len(md.Topics[*topic].Partitions)
	if numPartitions == 0 {
		return nil, fmt.Errorf("topic %s has no partitions", *topic)
	}
	produce := func(from, to int) error {
		var rs []*kgo.Record
		for i := from; i < to; i++ {
			rs = append(rs, &kgo.Record{Topic: *topic, Partition: int32(i % numPartitions), Key: []byte("k" + strconv.Itoa(i)), Value: []byte("v" + strconv.Itoa(i))})
		}
		pcl, err := kgo.NewClient(seeds(*b), logger(), kgo.RecordPartitioner(kgo.ManualPartitioner()))
		if err != nil {
			return err
		}
		defer pcl.Close()
		return pcl.ProduceSync(ctx, rs...).FirstErr()
	}

	var all []*member
	var total sync.WaitGroup
	seen := make(chan int, 1024)
	start := func() (*member, error) {
		m := &member{apis: &apiCounter{}, assigned: map[int32]bool{}}
		subscribe := kgo.ConsumeTopics(*topic)
		if *regex != "" {
			subscribe = kgo.ConsumeTopics(*regex)
		}
		opts := []kgo.Opt{
			seeds(*b), logger(), kgo.ConsumerGroup(*group), subscribe, kgo.WithHooks(m.apis),
			kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.DisableAutoCommit(), kgo.BlockRebalanceOnPoll(),
			kgo.OnPartitionsAssigned(func(_ context.Context, _ *kgo.Client, a map[string][]int32) {
				m.mu.Lock()
				defer m.mu.Unlock()
				for _, p := range a[*topic] {
					m.assigned[p] = true
				}
			}),
			kgo.OnPartitionsRevoked(func(_ context.Context, _ *kgo.Client, r map[string][]int32) {
				m.mu.Lock()
				defer m.mu.Unlock()
				for _, p := range r[*topic] {
					delete(m.assigned, p)
				}
			}),
			kgo.OnPartitionsLost(func(_ context.Context, _ *kgo.Client, r map[string][]int32) {
				m.mu.Lock()
				defer m.mu.Unlock()
				for _, p := range r[*topic] {
					delete(m.assigned, p)
				}
			}),
		}
		if *regex != "" {
			opts = append(opts, kgo.ConsumeRegex())
		}
		switch *protocol {
		case "classic":
			opts = append(opts, kgo.Balancers(kgo.CooperativeStickyBalancer()))
		case "consumer":
			opts = append(opts, kgo.Balancers(kgo.StickyBalancer()), kgo.ServerSideBalancer())
		default:
			return nil, fmt.Errorf("unknown protocol %q", *protocol)
		}
		cl, err := kgo.NewClient(opts...)
		if err != nil {
			return nil, err
		}
		m.cl = cl
		all = append(all, m)
		total.Add(1)
		go func() {
			defer total.Done()
			for ctx.Err() == nil {
				fetches := cl.PollFetches(ctx)
				if errors.Is(fetches.Err0(), kgo.ErrClientClosed) {
					return
				}
				var batch []rec
				fetches.EachRecord(func(r *kgo.Record) { batch = append(batch, toRec(r)) })
				if len(batch) > 0 {
					if err := cl.CommitUncommittedOffsets(ctx); err != nil && ctx.Err() == nil {
						fmt.Fprintln(os.Stderr, "commit:", err)
					}
					m.mu.Lock()
					m.read = append(m.read, batch...)
					m.mu.Unlock()
					seen <- len(batch)
				}
				cl.AllowRebalance()
			}
		}()
		return m, nil
	}
	waitRead := func(want int, have *int) error {
		for *have < want {
			select {
			case k := <-seen:
				*have += k
			case <-ctx.Done():
				return fmt.Errorf("read %d of %d records before the timeout", *have, want)
			}
		}
		return nil
	}
	// every member holds at least one partition, and together they hold each once
	waitBalanced := func() error {
		for ctx.Err() == nil {
			owned, ok := map[int32]int{}, true
			for _, m := range all {
				ps := m.partitions()
				ok = ok && len(ps) > 0
				for _, p := range ps {
					owned[p]++
				}
			}
			if ok && len(owned) == numPartitions {
				return nil
			}
			time.Sleep(20 * time.Millisecond)
		}
		return errors.New("the group did not spread the partitions over every member before the timeout")
	}

	have := 0
	half := *n / 2
	if err := produce(0, half); err != nil {
		return nil, err
	}
	if _, err := start(); err != nil {
		return nil, err
	}
	if err := waitRead(half, &have); err != nil {
		return nil, err
	}
	for i := 1; i < *members; i++ {
		if _, err := start(); err != nil {
			return nil, err
		}
	}
	if err := waitBalanced(); err != nil {
		return nil, err
	}
	if err := produce(half, *n); err != nil {
		return nil, err
	}
	if err := waitRead(*n, &have); err != nil {
		return nil, err
	}

	type memberOut struct {
		Partitions     []int32 `json:"partitions"`
		Read           int     `json:"read"`
		JoinGroup      int64   `json:"joinGroup"`
		SyncGroup      int64   `json:"syncGroup"`
		GroupHeartbeat int64   `json:"consumerGroupHeartbeat"`
		Generation     int32   `json:"generation"`
	}
	var outs []memberOut
	values := map[string]int{}
	for _, m := range all {
		_, gen := m.cl.GroupMetadata()
		m.mu.Lock()
		for _, r := range m.read {
			values[r.V]++
		}
		outs = append(outs, memberOut{
			Partitions: nil, Read: len(m.read), Generation: gen,
			JoinGroup: m.apis.get(int16(kmsg.JoinGroup)), SyncGroup: m.apis.get(int16(kmsg.SyncGroup)),
			GroupHeartbeat: m.apis.get(int16(kmsg.ConsumerGroupHeartbeat)),
		})
		m.mu.Unlock()
		outs[len(outs)-1].Partitions = m.partitions()
	}
	described, err := admin.DescribeGroups(ctx, *group)
	if err != nil {
		return nil, err
	}
	d := described[*group]
	for _, m := range all {
		m.cl.Close() // leaves the group
	}
	total.Wait()
	duplicates := 0
	for _, c := range values {
		duplicates += c - 1
	}
	fetched, err := admin.FetchOffsets(ctx, *group)
	if err != nil {
		return nil, err
	}
	committed := map[int32]int64{}
	fetched.Each(func(o kadm.OffsetResponse) {
		if o.Topic == *topic {
			committed[o.Partition] = o.At
		}
	})
	return map[string]any{
		"members": outs, "distinct": len(values), "duplicates": duplicates, "committed": committed,
		"describe": map[string]any{"state": d.State, "protocolType": d.ProtocolType, "protocol": d.Protocol, "members": len(d.Members), "err": errString(d.Err)},
	}, nil
}
