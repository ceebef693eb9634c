// DescribeShareGroupOffsets (key 90), v0-1 (KIP-932; v1 adds each partition's lag, KIP-1226).
//
// Behaviour (Kafka's GroupCoordinatorService.describeShareGroupOffsets, checked against Kafka
// 4.4): per group, the start offset of each requested partition (-1 with lag -1 when the group
// has no state for it, a zero topic id for an unknown topic: no error either way), or with
// topics null every share partition the group has state for (none for a group of another type
// or an unknown one, without error). Leader epochs are 0. Lag is high watermark - start offset -
// records of the in-flight window delivered for good (broker/share/offsets-admin.ts).

import { DescribeShareGroupOffsets } from '../../protocol/messages/index.js';
import { describeGroupOffsets } from '../share/offsets-admin.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: DescribeShareGroupOffsets,
  handle(req, ctx) {
    return { throttleTimeMs: 0, groups: req.groups.map((g) => describeGroupOffsets(ctx.broker, g.groupId, g.topics)) };
  },
});
