// Copying records, one round at a time: a read_committed Fetch per source leader and topic
// (bin/mirror/records.ts drops aborted transactions and markers), then the records re-encoded
// into plain batches (no producer id, so the target's idempotence checks do not apply to
// another cluster's producers; CreateTime timestamps, keys and headers kept) and produced to
// the target partition's leader with acks=all. Kafka takes one batch per partition per Produce
// request, so a partition's records beyond one batch go in further requests, sent one after
// the other so a failure cannot leave a hole with later records after it.
//
// Each produced batch's base offset gives the target offsets of its records, which extend the
// partition's mapping (bin/mirror/offsets.ts). A batch the target refused without appending it
// (leader moving: NOT_LEADER_OR_FOLLOWER...) is sent again to the new leader. A resumed mirror first skips the records an
// interrupted run produced but did not record (`skip`: the target's log end past the stored
// position), so nothing is copied twice.

import { ErrorCode, errorName } from '../../protocol/errors.js';
import { Produce } from '../../protocol/messages/index.js';
import { EARLIEST, listOffsets } from '../client/admin.js';
import { check, type KafkaClient, type TopicMetadata } from '../client/client.js';
import type { PartitionMapping } from './offsets.js';
import { committedRecords, encodeBatch, fetchCommitted, type RawRecord } from './records.js';

/** Produce errors that say the batch was not appended, so sending it again cannot duplicate it. */
const NOT_APPENDED: ReadonlySet<number> = new Set([
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.NOT_ENOUGH_REPLICAS,
]);

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
  /** Source records deleted (retention) before they could be copied. */
  lost: number;
  /** Next source offset to fetch (ahead of mapping.sourceNext while a fetch overlaps a produce). */
  cursor: number;
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

export class Copier {
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

  /**
   * One round: the records fetched last round (or now) are produced while the next round's
   * fetch is already under way from where this one stopped reading. Returns the records copied.
   */
  async round(maxWaitMs: number): Promise<number> {
    const prepared = await (this.prefetched ?? this.fetchRound(maxWaitMs));
    this.prefetched = this.fetching().length > 0 ? this.fetchRound(maxWaitMs) : null;
    const chunks = new Map<CopyPartition, Chunk[]>();
    for (const [p, f] of prepared) if (p.error === null) chunks.set(p, f.chunks);
    const copied = await this.produceAll(chunks);
    for (const [p, f] of prepared) {
      if (p.error !== null) continue;
      p.mapping.sourceNext = Math.max(p.mapping.sourceNext, f.position);
      if (p.end !== null && p.mapping.sourceNext >= p.end && p.skip === 0) p.done = true;
    }
    return copied;
  }

  /** Wait for a fetch still under way (before the caller stops using the clients). */
  async drain(): Promise<void> {
    await this.prefetched?.catch(() => undefined);
    this.prefetched = null;
  }

  private prefetched: Promise<Map<CopyPartition, { chunks: Chunk[]; position: number }>> | null = null;

  /** Partitions with something left to fetch. */
  private fetching(): CopyPartition[] {
    return this.parts.filter((p) => p.error === null && !p.done && (p.end === null || p.cursor < p.end || p.skip > 0));
  }

  private async fetchRound(maxWaitMs: number): Promise<Map<CopyPartition, { chunks: Chunk[]; position: number }>> {
    const requests = new Map<string, CopyPartition[]>(); // `topic\0leader` -> partitions
    for (const p of this.fetching()) {
      const leader = this.sourceTopics.get(p.topic)!.partitions.find((x) => x.partition === p.partition)!.leader;
      const k = `${p.topic}\0${leader}`;
      requests.set(k, [...(requests.get(k) ?? []), p]);
    }
    const out = new Map<CopyPartition, { chunks: Chunk[]; position: number }>();
    await Promise.all(
      [...requests].map(async ([k, parts]) => {
        const [topic, leader] = k.split('\0') as [string, string];
        let res: Awaited<ReturnType<typeof fetchCommitted>>;
        try {
          res = await fetchCommitted(
            this.source,
            topic,
            Number(leader),
            parts.map((p) => ({ partition: p.partition, offset: p.cursor })),
            { maxWaitMs, partitionMaxBytes: this.opts.fetchBytes },
          );
          check(res.errorCode);
        } catch (err) {
          for (const p of parts) p.error = `fetch from the source failed: ${(err as Error).message}`;
          return;
        }
        for (const f of res.partitions) {
          const p = parts.find((x) => x.partition === f.partition);
          if (!p || p.error !== null) continue;
          if (f.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
            const earliest = (await listOffsets(this.source, topic, EARLIEST, [p.partition])).get(p.partition) ?? 0;
            if (earliest > p.cursor) {
              p.lost += earliest - p.cursor;
              p.cursor = earliest;
              out.set(p, { chunks: [], position: earliest });
              continue;
            }
          }
          if (f.errorCode !== ErrorCode.NONE) {
            p.error = `fetch from the source failed: ${errorName(f.errorCode)}`;
            continue;
          }
          p.sourceEnd = f.end;
          let records: RawRecord[] = [];
          const position = f.data ? committedRecords(f.data, p.cursor, p.end, f.aborted, records) : p.cursor;
          p.cursor = position;
          // A resumed run: the first records are already on the target (see the file comment).
          let i = 0;
          for (; i < records.length && p.skip > 0; i++, p.skip--) p.mapping.add(records[i]!.offset, p.mapping.targetNext++);
          if (i > 0) records = records.slice(i);
          out.set(p, { chunks: this.chunk(p, records), position });
        }
      }),
    );
    return out;
  }

  private chunk(p: CopyPartition, records: RawRecord[]): Chunk[] {
    const out: Chunk[] = [];
    let start = 0;
    while (start < records.length) {
      let end = start;
      let bytes = 0;
      while (
        end < records.length &&
        end - start < this.opts.batchRecords &&
        (end === start || bytes + records[end]!.body.length + 16 <= this.opts.batchBytes)
      ) {
        bytes += records[end]!.body.length + 16;
        end++;
      }
      const slice = records.slice(start, end);
      out.push({ part: p, sources: slice.map((r) => r.offset), batch: encodeBatch(slice, this.opts.compression) });
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
              let base: number | null = r.baseOffset;
              if (r.errorCode !== ErrorCode.NONE) {
                base = NOT_APPENDED.has(r.errorCode) ? await this.resend(c) : null;
                if (base === null && c.part.error === null) {
                  this.fail(
                    c,
                    `the target refused ${t.name}-${r.index}: ${errorName(r.errorCode)}${r.errorMessage ? `: ${r.errorMessage}` : ''}`,
                  );
                }
                if (base === null) continue;
              }
              copied += this.applied(c, base);
            }
          }
        }
      }),
    );
    return copied;
  }

  /** The chunk is on the target from `base` on: extend the mapping. */
  private applied(c: Chunk, base: number): number {
    const m = c.part.mapping;
    for (let i = 0; i < c.sources.length; i++) m.add(c.sources[i]!, base + i);
    m.targetNext = base + c.sources.length;
    m.sourceNext = c.sources[c.sources.length - 1]! + 1;
    c.part.records += c.sources.length;
    c.part.bytes += c.batch.length;
    return c.sources.length;
  }

  /** Send one chunk again, to the partition's leader as Metadata now names it; its base offset, or null. */
  private async resend(c: Chunk): Promise<number | null> {
    for (let attempt = 0; attempt < 50; attempt++) {
      await new Promise((r) => setTimeout(r, 200));
      try {
        const md = await this.target.topic(c.part.topic);
        this.targetTopics.set(c.part.topic, md);
        const leader = md.partitions.find((x) => x.partition === c.part.partition)?.leader ?? -1;
        if (leader < 0) continue;
        const { response } = await this.target.send(
          Produce,
          () => ({
            transactionalId: null,
            acks: -1,
            timeoutMs: 30_000,
            topicData: [{ name: c.part.topic, partitionData: [{ index: c.part.partition, records: c.batch }] }],
          }),
          { node: leader },
        );
        const r = response.responses[0]!.partitionResponses[0]!;
        if (r.errorCode === ErrorCode.NONE) return r.baseOffset;
        if (!NOT_APPENDED.has(r.errorCode)) {
          this.fail(c, `the target refused ${c.part.topic}-${c.part.partition}: ${errorName(r.errorCode)}`);
          return null;
        }
      } catch (err) {
        this.fail(c, `produce to the target failed: ${(err as Error).message}`);
        return null;
      }
    }
    return null;
  }

  private fail(c: Chunk, message: string): void {
    c.part.error = message;
    // Everything before this chunk is on the target; the next run starts at its first record.
    c.part.mapping.sourceNext = Math.max(c.part.mapping.sourceNext, c.sources[0]!);
  }
}
