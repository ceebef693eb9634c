// The server-side `range` assignor (Kafka's RangeAssignor for KIP-848): topic by topic, the
// members subscribed to it (sorted by instance id when static, else member id) get contiguous
// ranges; the first `partitions % members` get one partition more. Members with the same
// subscriptions therefore get the same partition numbers of co-partitioned topics.

import type { Assignment } from '../consumer-group-records.js';
import { addPartition, byId, type Assignor, type AssignorInput } from './types.js';

export const rangeAssignor: Assignor = {
  name: 'range',
  assign(input: AssignorInput): Map<string, Assignment> {
    const out = new Map<string, Assignment>(input.members.map((m) => [m.memberId, new Map()]));
    const sortKey = (m: AssignorInput['members'][number]) => m.instanceId ?? m.memberId;
    for (const topicId of [...input.topics.keys()].sort(byId)) {
      const n = input.topics.get(topicId)!;
      const subscribers = input.members
        .filter((m) => m.subscribedTopicIds.has(topicId))
        .sort((a, b) => byId(sortKey(a), sortKey(b)) || byId(a.memberId, b.memberId));
      if (subscribers.length === 0) continue;
      const per = Math.floor(n / subscribers.length);
      const extra = n % subscribers.length;
      let next = 0;
      subscribers.forEach((m, i) => {
        const count = per + (i < extra ? 1 : 0);
        for (let k = 0; k < count; k++) addPartition(out.get(m.memberId)!, topicId, next++);
      });
    }
    return out;
  },
};
