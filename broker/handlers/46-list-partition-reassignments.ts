// ListPartitionReassignments (key 46), v0.
//
// Behaviour: with one replica per partition, AlterPartitionReassignments completes at once
// (broker/handlers/45-alter-partition-reassignments.ts), so no reassignment is ever in
// progress: the answer is always an empty list, whatever topics are named (Kafka leaves out
// partitions, and unknown topics, that have no reassignment in progress).

import { ListPartitionReassignments } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: ListPartitionReassignments,
  handle() {
    return { throttleTimeMs: 0, errorCode: 0, errorMessage: null, topics: [] };
  },
});
