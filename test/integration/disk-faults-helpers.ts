// The shared steps of disk-faults.test.ts and disk-faults-testkit.test.ts: what kafkajs says when a
// partition's log directory has failed, the error codes the broker answered to the recorded Produce
// requests, and reading a topic back after a power cut.

import assert from 'node:assert/strict';
import { Kafka, logLevel } from 'kafkajs';
import type { RecordedRequest } from '../../broker/testkit/recorder.js';

/** The kafkajs error types along an error's originalError/cause chain. */
export function errorTypes(err: unknown): string[] {
  const out: string[] = [];
  for (let e = err as { type?: string; originalError?: unknown; cause?: unknown } | undefined; e; ) {
    if (e.type) out.push(e.type);
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return out;
}

/** `p` rejects with a kafkajs error of type `type` somewhere along its chain. */
export function rejectsWithType(p: Promise<unknown>, type: string): Promise<void> {
  return assert.rejects(p, (err) => {
    assert.ok(errorTypes(err).includes(type), JSON.stringify(errorTypes(err)));
    return true;
  });
}

/** The error code of the first partition of each recorded Produce response. */
export function produceErrorCodes(recorded: RecordedRequest[]): number[] {
  type ProduceBody = { responses: Array<{ partitionResponses: Array<{ errorCode: number }> }> };
  return recorded.map((r) => (r.response as ProduceBody).responses[0]!.partitionResponses[0]!.errorCode);
}

/** The first `count` values of `topic` from its beginning, read by a kafkajs consumer of a new group. */
export async function readFromStart(bootstrap: string, topic: string, groupId: string, count: number): Promise<string[]> {
  const consumer = new Kafka({ clientId: groupId, brokers: [bootstrap], logLevel: logLevel.NOTHING }).consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen: string[] = [];
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: async ({ message }) => {
          seen.push(message.value?.toString() ?? '');
          if (seen.length >= count) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return seen;
}
