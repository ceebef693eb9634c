// Copying records, one round at a time: a read_committed Fetch per source leader and topic
// (bin/client/consumer.ts drops aborted transactions and markers), then the records re-encoded
// into plain batches (no producer id, so the target's idempotence checks do not apply to
// another cluster's producers; CreateTime timestamps, keys and headers kept) and produced to
// the target partition's leader with acks=all. Kafka takes one batch per partition per Produce
// request, so a partition's records beyond one batch go in further requests, sent one after
// the other so a failure cannot leave a hole with later records after it.
//
// Each produced batch's base offset gives the target offsets of its records, which extend the
// partition's mapping (bin/mirror/offsets.ts). A resumed mirror first skips the records an
// interrupted run produced but did not record (`skip`: the target's log end past the stored
// position), so nothing is copied twice.

import { Produce } from '../../protocol/messages/index.js';
import { buildBatch, type RecordInput } from '../../protocol/records/index.js';
import { check, type KafkaClient, type TopicMetadata } from '../client/client.js';
import { type ConsumedRecord, Consumer } from '../client/consumer.js';
import type { PartitionMapping } from './offsets.js';

export interface CopyPartition {
  topic: string;
  partition: number;
  mapping: PartitionMapping;
  /** Stop at this source offset (bounded copy); null follows for ever. */
  end: number | null;
  /** Records already on the target from an interrupted run: mapped, not produced. */
  skip: number;
  records: number;
  bytes: number;
  /** The source's high watermark (last stable offset) at the last fetch. */
  sourceEnd: number;
  done: boolean;
  error: string | null;
}

export interface CopyOptions {
  /** Compression codec id of the produced batches (0 none). */
  compression: number;
  /** Most records in one produced batch. */
  batchRecords: number;
  /** Most bytes (keys, values, headers) in one produced batch. */
  batchBytes: number;
  /** Bytes fetched per partition per round. */
  fetchBytes: number;
}

interface Chunk {
  part: CopyPartition;
  sources: number[];
  batch: Buffer;
}

function recordBytes(r: ConsumedRecord): number {
  let n = (r.key?.length ?? 0) + (r.value?.length ?? 0) + 20;
  for (const h of r.headers) n += h.key.length + (h.value?.length ?? 0) + 4;
  return n;
}

export class Copier {
  private readonly consumers = new Map<string, Consumer>();

  constructor(
    private readonly source: KafkaClient,
    private readonly target: KafkaClient,
    private readonly sourceTopics: Map<string, TopicMetadata>,
    private readonly targetTopics: Map<string, TopicMetadata>,
    readonly parts: CopyPartition[],
    private readonly opts: CopyOptions,
  ) {
    for (const p of parts) if (p.end !== null && p.mapping.sourceNext >= p.end && p.skip === 0) p.done = true;
  }

  get active(): CopyPartition[] {
    return this.parts.filter((p) => !p.done && p.error === null);
  }

  /** One fetch-and-produce round over every active partition; returns the records copied. */
  async round(maxWaitMs: number): Promise<number> {
    const byTopic = new Map<string, CopyPartition[]>();
    for (const p of this.active) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p]);
    const fetched = new Map<CopyPartition, { records: ConsumedRecord[]; position: number }>();
    await Promise.all(
      [...byTopic].map(async ([topic, parts]) => {
        let consumer = this.consumers.get(topic);
        if (!consumer) {
          consumer = new Consumer(this.source, this.sourceTopics.get(topic)!, {
            isolationLevel: 1,
            partitionMaxBytes: this.opts.fetchBytes,
          });
          this.consumers.set(topic, consumer);
        }
        consumer.assign(new Map(parts.map((p) => [p.partition, p.mapping.sourceNext])));
        let records: ConsumedRecord[];
        try {
          records = (await consumer.poll(maxWaitMs)).records;
        } catch (err) {
          for (const p of parts) p.error = `fetch from the source failed: ${(err as Error).message}`;
          return;
        }
        for (const p of parts) {
          p.sourceEnd = consumer.highWatermarks.get(p.partition) ?? p.sourceEnd;
          fetched.set(p, { records: records.filter((r) => r.partition === p.partition), position: consumer.positions.get(p.partition)! });
        }
      }),
    );
    const chunks = new Map<CopyPartition, Chunk[]>();
    const positions = new Map<CopyPartition, number>();
    for (const [p, f] of fetched) {
      let records = f.records;
      let position = f.position;
      if (p.end !== null) {
        records = records.filter((r) => r.offset < p.end!);
        position = Math.min(position, p.end);
      }
      let i = 0;
      for (; i < records.length && p.skip > 0; i++, p.skip--) p.mapping.add(records[i]!.offset, p.mapping.targetNext++);
      records = records.slice(i);
      positions.set(p, position);
      chunks.set(p, this.chunk(p, records));
    }
    const copied = await this.produceAll(chunks);
    for (const [p, position] of positions) {
      if (p.error !== null) continue;
      p.mapping.sourceNext = Math.max(p.mapping.sourceNext, position);
      if (p.end !== null && p.mapping.sourceNext >= p.end && p.skip === 0) p.done = true;
    }
    return copied;
  }

  private chunk(p: CopyPartition, records: ConsumedRecord[]): Chunk[] {
    const out: Chunk[] = [];
    let start = 0;
    while (start < records.length) {
      let end = start;
      let bytes = 0;
      while (
        end < records.length &&
        end - start < this.opts.batchRecords &&
        (end === start || bytes + recordBytes(records[end]!) <= this.opts.batchBytes)
      ) {
        bytes += recordBytes(records[end]!);
        end++;
      }
      const slice = records.slice(start, end);
      const inputs: RecordInput[] = slice.map((r) => ({ key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp }));
      out.push({
        part: p,
        sources: slice.map((r) => r.offset),
        batch: buildBatch({ records: inputs, compression: this.opts.compression }),
      });
      start = end;
    }
    return out;
  }

  /** Produce every partition's chunks: k-th chunks together per target leader, one request after another. */
  private async produceAll(chunks: Map<CopyPartition, Chunk[]>): Promise<number> {
    const byLeader = new Map<number, Chunk[][]>();
    for (const [p, list] of chunks) {
      const leader = this.targetTopics.get(p.topic)!.partitions.find((x) => x.partition === p.partition)!.leader;
      const rounds = byLeader.get(leader) ?? [];
      list.forEach((c, k) => {
        rounds[k] ??= [];
        rounds[k]!.push(c);
      });
      byLeader.set(leader, rounds);
    }
    let copied = 0;
    await Promise.all(
      [...byLeader].map(async ([leader, rounds]) => {
        for (const round of rounds) {
          const live = round.filter((c) => c.part.error === null);
          if (live.length === 0) continue;
          const byTopic = new Map<string, Chunk[]>();
          for (const c of live) byTopic.set(c.part.topic, [...(byTopic.get(c.part.topic) ?? []), c]);
          let response: Awaited<ReturnType<typeof this.target.send<typeof Produce>>>['response'];
          try {
            ({ response } = await this.target.send(
              Produce,
              () => ({
                transactionalId: null,
                acks: -1,
                timeoutMs: 30_000,
                topicData: [...byTopic].map(([name, cs]) => ({
                  name,
                  partitionData: cs.map((c) => ({ index: c.part.partition, records: c.batch })),
                })),
              }),
              { node: leader },
            ));
          } catch (err) {
            for (const c of live) this.fail(c, `produce to the target failed: ${(err as Error).message}`);
            continue;
          }
          for (const t of response.responses) {
            for (const r of t.partitionResponses) {
              const c = live.find((x) => x.part.topic === t.name && x.part.partition === r.index);
              if (!c) continue;
              try {
                check(r.errorCode, r.errorMessage ?? `${t.name}-${r.index}`);
              } catch (err) {
                this.fail(c, `the target refused ${t.name}-${r.index}: ${(err as Error).message}`);
                continue;
              }
              const m = c.part.mapping;
              for (let i = 0; i < c.sources.length; i++) m.add(c.sources[i]!, r.baseOffset + i);
              m.targetNext = r.baseOffset + c.sources.length;
              m.sourceNext = c.sources[c.sources.length - 1]! + 1;
              c.part.records += c.sources.length;
              c.part.bytes += c.batch.length;
              copied += c.sources.length;
            }
          }
        }
      }),
    );
    return copied;
  }

  private fail(c: Chunk, message: string): void {
    c.part.error = message;
    // Everything before this chunk is on the target; the next run starts at its first record.
    c.part.mapping.sourceNext = Math.max(c.part.mapping.sourceNext, c.sources[0]!);
  }
}
