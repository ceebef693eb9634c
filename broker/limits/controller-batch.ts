// The controller's bounds on one CreateTopics or CreatePartitions request (issue 14, item 4):
// what keeps a fuzzed or hostile request from creating a million partitions. Kafka 4.4's
// ReplicationControlManager, where its controller handles both APIs:
// - validateTotalNumberOfPartitions, before anything else: the partitions a CreateTopics asks
//   for (numPartitions, -1 counting as num.partitions, non-positive counts as 0, or the number
//   of manual assignments), summed over the request, above MAX_PARTITIONS_PER_BATCH (10,000) fail
//   every topic with POLICY_VIOLATION "Excessively large number of partitions per request.";
//   for CreatePartitions the partitions added to existing topics, "... of additional partitions
//   per request.".
// - MAX_RECORDS_PER_USER_OP (10,000, QuorumController): the metadata records one request writes,
//   a BoundedList. CreateTopics writes a TopicRecord, one ConfigRecord per config and one
//   PartitionRecord per partition for each topic it creates; past 10,000 the whole request fails
//   (EventHandlerExceptionInfo: POLICY_VIOLATION "Unable to perform excessively large batch
//   operation."), validate_only too, and nothing is created. CreatePartitions cannot get there
//   once the first bound holds (one record per new partition).
// Checked against Kafka 4.4 by the oracle: test/oracle/scenarios/fuzz-found.ts (fuzz/create-*-excessive).

export const MAX_PARTITIONS_PER_BATCH = 10_000;
export const MAX_RECORDS_PER_USER_OP = 10_000;

export const TOO_MANY_PARTITIONS = 'Excessively large number of partitions per request.';
export const TOO_MANY_ADDITIONAL_PARTITIONS = 'Excessively large number of additional partitions per request.';
export const BATCH_TOO_LARGE = 'Unable to perform excessively large batch operation.';

/** The partitions a CreateTopics request asks for, as Kafka's controller sums them. */
export function requestedPartitions(
  topics: ReadonlyArray<{ numPartitions: number; assignments: readonly unknown[] }>,
  defaultPartitions: number,
): number {
  let total = 0;
  for (const t of topics) {
    if (t.assignments.length > 0) total += t.assignments.length;
    else if (t.numPartitions === -1) total += defaultPartitions;
    else if (t.numPartitions > 0) total += t.numPartitions;
  }
  return total;
}

/** The partitions a CreatePartitions request adds to existing topics (`current`: a topic's count, or undefined). */
export function additionalPartitions(
  topics: ReadonlyArray<{ name: string; count: number }>,
  current: (name: string) => number | undefined,
): number {
  let total = 0;
  for (const t of topics) {
    const now = t.count < 0 ? undefined : current(t.name);
    if (now !== undefined && t.count > now) total += t.count - now;
  }
  return total;
}

/** The metadata records creating a topic writes: TopicRecord, ConfigRecords, PartitionRecords. */
export function topicRecords(partitions: number, configs: number): number {
  return 1 + configs + partitions;
}
