// Fetching records from assigned partitions of one topic: one Fetch per leader per poll, long-
// polling on the broker (max wait), batches decoded with protocol/records, control batches
// skipped. Positions start where the caller says (committed offsets, earliest or latest) and
// move past what poll() returns. With isolationLevel 1 (read_committed) the broker stops at the
// last stable offset and names the aborted transactions in the range it returns; their batches
// are dropped as Kafka's consumer drops them (CompletedFetch.abortedProducerIds in the Java
// client): a producer's batches are skipped from its aborted transaction's first offset until
// its ABORT marker.

import { ErrorCode } from '../../protocol/errors.js';
import { Fetch } from '../../protocol/messages/index.js';
import { decodeBatchRecords, entrySizeAt, magicAt } from '../../protocol/records/index.js';
import { check, type KafkaClient, type TopicMetadata } from './client.js';

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<{ key: string; value: Buffer | null }>;
}

export interface PollResult {
  records: ConsumedRecord[];
  /** Every assigned partition's position has reached its high watermark (read_committed: last stable offset). */
  caughtUp: boolean;
}

export interface ConsumerOptions {
  maxWaitMs?: number;
  partitionMaxBytes?: number;
  /** 0 read_uncommitted (default), 1 read_committed. */
  isolationLevel?: 0 | 1;
  onOutOfRange?: (partition: number) => Promise<number>;
}

/** An ABORT marker's control key: version int16, type int16 (0 abort, 1 commit). */
function isAbortMarker(key: Buffer | null): boolean {
  return key !== null && key.length >= 4 && key.readInt16BE(2) === 0;
}

export class Consumer {
  /** Next offset to fetch, per assigned partition. */
  readonly positions = new Map<number, number>();
  /** High watermark (read_committed: last stable offset) per partition, from the last fetch. */
  readonly highWatermarks = new Map<number, number>();

  constructor(
    private readonly client: KafkaClient,
    readonly topic: TopicMetadata,
    private readonly opts: ConsumerOptions = {},
  ) {}

  assign(positions: Map<number, number>): void {
    this.positions.clear();
    this.highWatermarks.clear();
    for (const [p, o] of positions) this.positions.set(p, o);
  }

  async poll(maxWaitMs = this.opts.maxWaitMs ?? 500): Promise<PollResult> {
    const byLeader = new Map<number, number[]>();
    for (const p of this.positions.keys()) {
      const leader = this.topic.partitions.find((x) => x.partition === p)!.leader;
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), p]);
    }
    const records: ConsumedRecord[] = [];
    await Promise.all([...byLeader].map(([leader, parts]) => this.fetchFrom(leader, parts, maxWaitMs, records)));
    records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
    let caughtUp = true;
    for (const [p, pos] of this.positions) {
      const hw = this.highWatermarks.get(p);
      if (hw === undefined || pos < hw) caughtUp = false;
    }
    return { records, caughtUp };
  }

  private async fetchFrom(leader: number, parts: number[], maxWaitMs: number, out: ConsumedRecord[]): Promise<void> {
    const { response } = await this.client.send(
      Fetch,
      () => ({
        replicaId: -1,
        maxWaitMs,
        minBytes: 1,
        maxBytes: 52428800,
        isolationLevel: this.opts.isolationLevel ?? 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          {
            topic: this.topic.name,
            partitions: parts.map((partition) => ({
              partition,
              currentLeaderEpoch: -1,
              fetchOffset: this.positions.get(partition)!,
              lastFetchedEpoch: -1,
              logStartOffset: -1,
              partitionMaxBytes: this.opts.partitionMaxBytes ?? 1048576,
            })),
          },
        ],
        forgottenTopicsData: [],
        rackId: '',
      }),
      { node: leader, timeoutMs: maxWaitMs + 30_000 },
    );
    check(response.errorCode);
    for (const t of response.responses) {
      for (const p of t.partitions) {
        if (p.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE && this.opts.onOutOfRange) {
          this.positions.set(p.partitionIndex, await this.opts.onOutOfRange(p.partitionIndex));
          continue;
        }
        check(p.errorCode, `${this.topic.name}-${p.partitionIndex}`);
        const readCommitted = this.opts.isolationLevel === 1 && p.lastStableOffset >= 0;
        this.highWatermarks.set(p.partitionIndex, readCommitted ? p.lastStableOffset : p.highWatermark);
        const aborted = readCommitted ? (p.abortedTransactions ?? []) : [];
        if (p.records) this.decode(p.partitionIndex, p.records, out, aborted);
      }
    }
  }

  private decode(
    partition: number,
    data: Buffer,
    out: ConsumedRecord[],
    abortedTxns: ReadonlyArray<{ producerId: number; firstOffset: number }>,
  ): void {
    let position = this.positions.get(partition)!;
    const pendingAborts = [...abortedTxns].sort((a, b) => a.firstOffset - b.firstOffset);
    const abortedProducers = new Set<number>();
    for (let pos = 0, size = entrySizeAt(data, 0); size > 0; pos += size, size = entrySizeAt(data, pos)) {
      if (magicAt(data, pos) !== 2) continue;
      const batch = decodeBatchRecords(data, pos);
      const h = batch.header;
      while (pendingAborts.length > 0 && pendingAborts[0]!.firstOffset <= h.lastOffset)
        abortedProducers.add(pendingAborts.shift()!.producerId);
      let skip = false;
      if (h.isTransactional && abortedProducers.has(h.producerId)) {
        skip = true;
        if (h.isControl && isAbortMarker(batch.records[0]?.key ?? null)) abortedProducers.delete(h.producerId);
      }
      if (!h.isControl && !skip) {
        for (const r of batch.records) {
          if (r.offset < position) continue;
          out.push({
            topic: this.topic.name,
            partition,
            offset: r.offset,
            timestamp: r.timestamp,
            key: r.key,
            value: r.value,
            headers: r.headers,
          });
        }
      }
      position = Math.max(position, batch.header.lastOffset + 1);
    }
    this.positions.set(partition, position);
  }
}
