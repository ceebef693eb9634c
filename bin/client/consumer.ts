// Fetching records from assigned partitions of one topic: one Fetch per leader per poll, long-
// polling on the broker (max wait), batches decoded with protocol/records, control batches
// skipped. Positions start where the caller says (committed offsets, earliest or latest) and
// move past what poll() returns.

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
  /** Every assigned partition's position has reached its high watermark. */
  caughtUp: boolean;
}

export class Consumer {
  /** Next offset to fetch, per assigned partition. */
  readonly positions = new Map<number, number>();
  private readonly highWatermarks = new Map<number, number>();

  constructor(
    private readonly client: KafkaClient,
    readonly topic: TopicMetadata,
    private readonly opts: { maxWaitMs?: number; partitionMaxBytes?: number; onOutOfRange?: (partition: number) => Promise<number> } = {},
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
        isolationLevel: 0,
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
        this.highWatermarks.set(p.partitionIndex, p.highWatermark);
        if (p.records) this.decode(p.partitionIndex, p.records, out);
      }
    }
  }

  private decode(partition: number, data: Buffer, out: ConsumedRecord[]): void {
    let position = this.positions.get(partition)!;
    for (let pos = 0, size = entrySizeAt(data, 0); size > 0; pos += size, size = entrySizeAt(data, pos)) {
      if (magicAt(data, pos) !== 2) continue;
      const batch = decodeBatchRecords(data, pos);
      if (!batch.header.isControl) {
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
