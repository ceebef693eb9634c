// kcat's consume time is bimodal with every broker (issue 15, session 9): librdkafka 2.0.2 stops fetching a
// partition once its local queue holds queued.min.messages (100,000) or queued.max.messages.kbytes (64 MiB), and
// its broker thread looks again only when its next wait ends, up to 1 s later (rdkafka_fetcher.c
// rd_kafka_toppar_fetch_decide: no backoff time is set for a full queue in 2.0.2; 2.4.0 added
// fetch.queue.backoff.ms for it). kcat's own thread writing lines to the file is what falls behind, so the faster a
// broker answers, the likelier a round meets one or more of these pauses. This reads the `-d fetch` log kcat writes
// to stderr and counts them, so each round says which mode it was in.
//
//   %7|1796696675.260|FETCH|rdkafka#consumer-1| [thrd:...]: ...: Topic t1 [0] in state active at offset 0
//     (100804/100000 msgs, 9745/65536 kb queued, opv 2) is not fetchable: queued.min.messages exceeded
//   %7|1796696676.162|FETCH|...: Topic t1 [0] in state active at offset 0 (0/100000 msgs, ...) is fetchable

export interface QueuePauses {
  /** Times a partition stopped fetching because kcat's queue was full. */
  count: number;
  /** Seconds those partitions sat out, summed over partitions (one partition: wall time the fetcher stood still). */
  seconds: number;
}

const LINE = /^%\d\|(\d+\.\d+)\|FETCH\|.*?Topic (.+? \[\d+\]) in state .* is (not )?fetchable(?:: (.*))?$/;

export class QueuePauseLog {
  private rest = '';
  private readonly since = new Map<string, number>();
  private readonly result: QueuePauses = { count: 0, seconds: 0 };
  private last = 0;

  /** A chunk of kcat's stderr. */
  add(chunk: string): void {
    const lines = (this.rest + chunk).split('\n');
    this.rest = lines.pop()!;
    for (const l of lines) this.line(l);
  }

  /** The pauses seen; one still open at the end counts up to the last timestamp logged. */
  done(): QueuePauses {
    if (this.rest) this.line(this.rest);
    this.rest = '';
    for (const start of this.since.values()) this.result.seconds += this.last - start;
    this.since.clear();
    return { count: this.result.count, seconds: Math.round(this.result.seconds * 1000) / 1000 };
  }

  private line(l: string): void {
    const m = LINE.exec(l);
    if (!m) return;
    const t = Number(m[1]);
    this.last = t;
    const partition = m[2]!;
    const start = this.since.get(partition);
    if (start !== undefined) {
      this.result.seconds += t - start;
      this.since.delete(partition);
    }
    if (m[3] && /^queued\.(min\.messages|max\.messages\.kbytes) exceeded/.test(m[4] ?? '')) {
      this.result.count++;
      this.since.set(partition, t);
    }
  }
}
