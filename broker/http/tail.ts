// Live tail over Server-Sent Events: a stream per HTTP client, fed by Partition.onChange. An
// append only marks the stream dirty; the records are read and sent on the next turn of the
// event loop (setImmediate), so producers never wait for HTTP clients. A slow client is not
// read for until its socket drains. The stream ends when the client goes, when the topic is
// deleted (event `deleted`), or when the server closes (TailHub.closeAll).
//
//   event: records   data: {"records":[RecordView...]}
//   event: deleted   data: {"topic":"t"}
//   : ping           (every 15 s, keeps proxies from closing the stream)

import type { ServerResponse } from 'node:http';
import type { BrokerCore } from '../core.js';
import type { Topic } from '../topics.js';
import { readRecords, type Format, type ValueDecoder } from './records.js';

const PAGE = 200;
const PING_MS = 15_000;

export class TailHub {
  private readonly streams = new Set<TailStream>();

  constructor(
    private readonly core: BrokerCore,
    /** Decodes Schema Registry values for format=schema (absent when the registry is off). */
    private readonly decodeValue?: ValueDecoder,
  ) {}

  get size(): number {
    return this.streams.size;
  }

  /** Start streaming `partitions` of `topic` from the given offsets into `res` (headers not yet sent). */
  open(res: ServerResponse, topic: Topic, start: Map<number, number>, format: Format): void {
    const stream = new TailStream(this.core, res, topic, start, format, () => this.streams.delete(stream), this.decodeValue);
    this.streams.add(stream);
  }

  closeAll(): void {
    for (const s of [...this.streams]) s.close();
  }
}

class TailStream {
  private readonly unsubscribe: Array<() => void> = [];
  private readonly ping: NodeJS.Timeout;
  private scheduled: NodeJS.Immediate | null = null;
  private waitingDrain = false;
  private closed = false;

  constructor(
    private readonly core: BrokerCore,
    private readonly res: ServerResponse,
    private readonly topic: Topic,
    private readonly positions: Map<number, number>,
    private readonly format: Format,
    private readonly onClose: () => void,
    private readonly decodeValue?: ValueDecoder,
  ) {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`event: ready\ndata: ${JSON.stringify({ topic: topic.name, positions: Object.fromEntries(positions) })}\n\n`);
    for (const index of positions.keys()) {
      const p = topic.partitions[index];
      if (p) this.unsubscribe.push(p.onChange(() => this.schedule()));
    }
    this.ping = setInterval(() => res.write(': ping\n\n'), PING_MS);
    this.ping.unref();
    res.on('close', () => this.close());
    this.schedule();
  }

  private schedule(): void {
    if (this.closed || this.scheduled || this.waitingDrain) return;
    this.scheduled = setImmediate(() => {
      this.scheduled = null;
      this.flush();
    });
  }

  private flush(): void {
    if (this.closed) return;
    if (this.core.topics.get(this.topic.name) !== this.topic) {
      this.res.write(`event: deleted\ndata: ${JSON.stringify({ topic: this.topic.name })}\n\n`);
      this.close();
      return;
    }
    for (const [index, from] of this.positions) {
      const p = this.topic.partitions[index];
      if (!p) continue;
      let offset = from;
      while (offset < p.highWatermark) {
        const page = readRecords(p, offset, PAGE, this.format, this.decodeValue);
        if (page.nextOffset <= offset) break;
        offset = page.nextOffset;
        this.positions.set(index, offset);
        if (page.records.length === 0) continue;
        if (!this.res.write(`event: records\ndata: ${JSON.stringify({ records: page.records })}\n\n`)) {
          this.waitingDrain = true;
          this.res.once('drain', () => {
            this.waitingDrain = false;
            this.schedule();
          });
          return;
        }
      }
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const u of this.unsubscribe) u();
    clearInterval(this.ping);
    if (this.scheduled) clearImmediate(this.scheduled);
    this.res.end();
    this.onClose();
  }
}
