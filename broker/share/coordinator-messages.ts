// What Kafka 4.4's share coordinator answers (ShareCoordinatorShard, ShareCoordinatorService),
// captured from a real broker: the per-partition messages of ReadShareGroupState (84),
// WriteShareGroupState (85) and friends. Shared by broker/handlers/83-87.

export const READ_UNINITIALISED = 'Read operation on uninitialized share partition not allowed.';
export const WRITE_UNINITIALISED = 'Write operation on uninitialized share partition not allowed.';
export const NEGATIVE_LEADER_EPOCH = 'The leader epoch cannot be a negative number.';
export const STATE_EPOCH_MISMATCH = 'The coordinator rejected the request because the state epoch did not match.';

/** Per topic id, per partition: the shape every share-coordinator response has. */
export function perPartition<P extends { partition: number }, R>(
  topics: ReadonlyArray<{ topicId: string; partitions: readonly P[] }>,
  answer: (topicId: string, p: P) => R,
): Array<{ topicId: string; partitions: R[] }> {
  return topics.map((t) => ({ topicId: t.topicId, partitions: t.partitions.map((p) => answer(t.topicId, p)) }));
}
