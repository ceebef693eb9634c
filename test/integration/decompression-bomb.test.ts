// Decompression bombs in Produce (issue 14), the same bytes sent to kafkalite and to Kafka 4.4
// (test/fuzz/bombs.ts builds them), for gzip, snappy, lz4 and zstd:
//   * a real 10 MB bomb (one record of 10 MB of zeros): both accept it (Kafka streams records out
//     of the codec; kafkalite inflates within decompressionLimit, 65 × max.message.bytes here);
//   * a header claiming 1 GiB while carrying a few bytes: both refuse it, kafkalite without
//     allocating the claim (Kafka's codes differ by codec: docs/DIVERGENCES.md);
//   * a real 1 GiB bomb (gzip members / zstd frames, ~100 KB on the wire): kafkalite stops at its
//     limit with MESSAGE_TOO_LARGE (a divergence: Kafka inflates and stores it);
//   * the 10 MB bomb on a topic with max.message.bytes 65536 (limit 4.2 MB): MESSAGE_TOO_LARGE.
// kafkalite's RSS growth is measured over the bombs (in-process broker) and must stay bounded.
// A real client too: kafkajs produces a 10 MB gzip record to both, accepted.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { startBroker, type Broker } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { CreateTopics, Produce } from '../../protocol/messages/index.js';
import { Codec, codecName } from '../../protocol/records/index.js';
import { claimedBomb, realBomb, streamedBomb } from '../fuzz/bombs.js';
import { startKafka, type RealKafka } from '../jvm/kafka.js';
import { WireClient } from './wire-client.js';

const MIB = 1024 * 1024;
const CODECS = [Codec.GZIP, Codec.SNAPPY, Codec.LZ4, Codec.ZSTD];

let lite: Broker;
let kafka: RealKafka;
let liteClient: WireClient;
let kafkaClient: WireClient;

async function createTopics(c: WireClient): Promise<void> {
  const res = await c.send(CreateTopics, 7, {
    topics: [
      { name: 'bomb', numPartitions: 1, replicationFactor: 1 },
      { name: 'bomb-small', numPartitions: 1, replicationFactor: 1, configs: [{ name: 'max.message.bytes', value: '65536' }] },
    ],
    timeoutMs: 30_000,
  });
  for (const t of res.topics) assert.equal(t.errorCode, 0, `${t.name}: ${t.errorMessage}`);
}

async function produce(c: WireClient, topic: string, batch: Buffer): Promise<number> {
  const res = await c.send(Produce, 9, {
    acks: -1,
    timeoutMs: 30_000,
    topicData: [{ name: topic, partitionData: [{ index: 0, records: batch }] }],
  });
  return res.responses[0]!.partitionResponses[0]!.errorCode;
}

before(async () => {
  [lite, kafka] = await Promise.all([startBroker(), startKafka()]);
  [liteClient, kafkaClient] = await Promise.all([WireClient.connect(lite.bootstrap), WireClient.connect(kafka.bootstrap)]);
  await Promise.all([createTopics(liteClient), createTopics(kafkaClient)]);
  // Kafka elects the new partitions' leader asynchronously: wait until a produce succeeds.
  for (let i = 0; i < 50; i++) {
    if ((await produce(kafkaClient, 'bomb', realBomb(Codec.NONE, 8))) === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
});

after(async () => {
  liteClient?.close();
  kafkaClient?.close();
  await Promise.all([lite?.stop(), kafka?.stop()]);
});

/** kafkalite's answer and the RSS it grew by (peak sampled while the request is served). */
async function liteAnswer(topic: string, batch: Buffer): Promise<{ code: number; grownMiB: number }> {
  global.gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const code = await produce(liteClient, topic, batch);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { code, grownMiB: (peak - start) / MIB };
}

for (const codec of CODECS) {
  const name = codecName(codec);

  test(`${name}: a real 10 MB bomb is accepted by both`, async (t) => {
    const batch = realBomb(codec, 10 * MIB);
    const [mine, theirs] = await Promise.all([liteAnswer('bomb', batch), produce(kafkaClient, 'bomb', batch)]);
    t.diagnostic(`Kafka ${theirs}, kafkalite ${mine.code}, kafkalite RSS +${mine.grownMiB.toFixed(1)} MiB`);
    assert.equal(theirs, 0, 'Kafka 4.4');
    assert.equal(mine.code, 0, 'kafkalite');
    assert.ok(mine.grownMiB < 200, `RSS grew ${mine.grownMiB.toFixed(1)} MiB`);
  });

  test(`${name}: a header claiming 1 GiB is refused by both, kafkalite without allocating it`, async (t) => {
    const batch = claimedBomb(codec, 1 << 30);
    const [mine, theirs] = await Promise.all([liteAnswer('bomb', batch), produce(kafkaClient, 'bomb', batch)]);
    t.diagnostic(`Kafka ${theirs}, kafkalite ${mine.code}, kafkalite RSS +${mine.grownMiB.toFixed(1)} MiB`);
    assert.notEqual(theirs, 0, 'Kafka 4.4 refuses it');
    // INVALID_RECORD for gzip and lz4 (the record walk fails on the few bytes the stream decoder
    // yields before the codec's trailer check; kafkalite walks them too: decompressPrefix in
    // protocol/records/compression.ts), UNKNOWN_SERVER_ERROR for snappy and zstd.
    const expected = codec === Codec.GZIP || codec === Codec.LZ4 ? ErrorCode.INVALID_RECORD : ErrorCode.UNKNOWN_SERVER_ERROR;
    assert.equal(theirs, expected, 'Kafka 4.4');
    assert.equal(mine.code, expected, 'kafkalite');
    assert.ok(mine.grownMiB < 64, `RSS grew ${mine.grownMiB.toFixed(1)} MiB`);
  });
}

for (const codec of [Codec.GZIP, Codec.ZSTD]) {
  test(`${codecName(codec)}: a real 1 GiB bomb stops at kafkalite's limit (MESSAGE_TOO_LARGE), RSS bounded`, async (t) => {
    const batch = streamedBomb(codec, 1 << 30);
    assert.ok(batch.length < 1_048_588, `${batch.length} bytes on the wire`);
    const mine = await liteAnswer('bomb', batch);
    t.diagnostic(`kafkalite RSS +${mine.grownMiB.toFixed(1)} MiB`);
    assert.equal(mine.code, ErrorCode.MESSAGE_TOO_LARGE);
    // The limit is 65 × 1048588 bytes (65 MiB) at the default max.message.bytes.
    assert.ok(mine.grownMiB < 300, `RSS grew ${mine.grownMiB.toFixed(1)} MiB`);
  });
}

for (const codec of [Codec.GZIP, Codec.LZ4, Codec.ZSTD]) {
  test(`${codecName(codec)}: the 10 MB bomb on a topic with max.message.bytes 65536 is MESSAGE_TOO_LARGE in kafkalite`, async () => {
    const batch = realBomb(codec, 10 * MIB);
    const [mine, theirs] = await Promise.all([liteAnswer('bomb-small', batch), produce(kafkaClient, 'bomb-small', batch)]);
    assert.equal(theirs, 0, 'Kafka 4.4 accepts it (divergence)');
    assert.equal(mine.code, ErrorCode.MESSAGE_TOO_LARGE);
  });
}

test('kafkajs: a 10 MB gzip record is accepted by both', async () => {
  for (const bootstrap of [lite.bootstrap, kafka.bootstrap]) {
    const client = new Kafka({ clientId: 'bomb', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const producer = client.producer();
    await producer.connect();
    try {
      const [res] = await producer.send({
        topic: 'bomb',
        compression: CompressionTypes.GZIP,
        messages: [{ value: Buffer.alloc(10 * MIB) }],
      });
      assert.equal(res!.errorCode, 0, bootstrap);
    } finally {
      await producer.disconnect();
    }
  }
});
