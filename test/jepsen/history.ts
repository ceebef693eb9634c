// The checker's history (issue 14, item 6): what producers were told and what readers saw.
// Every value is unique: `<producer>-<n>`, with n counting up per producer and the partition
// chosen as n % partitions, so the order of one producer's values within a partition is known.

/** A transaction's outcome as the producer knows it. */
export type TxnOutcome = 'committed' | 'aborted' | 'unknown';

export interface History {
  /** value -> where its acknowledgement put it (idempotent producers; transactional sends only go to producerOffsets). */
  acked: Map<string, { partition: number; offset: number }>;
  /** Values of transactions whose commit was acknowledged: acknowledged writes too. */
  committed: Set<string>;
  /** Values of transactions that never asked to commit: must never reach a read_committed reader. */
  aborted: Set<string>;
  /** Values of transactions whose commit failed: may or may not be there. */
  unknown: Set<string>;
  /** Values whose send failed: may or may not be there (never acknowledged). */
  failed: Set<string>;
  /** Offsets a producer was told for a value (delivery reports of transactional sends included): partition -> offset -> value. */
  producerOffsets: Map<number, Map<number, string>>;
  /** What the group's read_committed consumers were handed: partition -> offset -> values seen there. */
  consumed: Map<number, Map<number, Set<string>>>;
  /** Client-side errors that are the client's business (fatal producer errors, restarts), counted for the report. */
  clientEvents: Map<string, number>;
}

/** The value at `key`, made with `make` the first time. */
function entry<K, V>(m: Map<K, V>, key: K, make: () => V): V {
  let v = m.get(key);
  if (v === undefined) {
    v = make();
    m.set(key, v);
  }
  return v;
}

export function newHistory(): History {
  return {
    acked: new Map(),
    committed: new Set(),
    aborted: new Set(),
    unknown: new Set(),
    failed: new Set(),
    producerOffsets: new Map(),
    consumed: new Map(),
    clientEvents: new Map(),
  };
}

export function recordOffset(h: History, partition: number, offset: number, value: string): void {
  const m = entry(h.producerOffsets, partition, () => new Map<number, string>());
  const before = m.get(offset);
  // Two different values told to be at one offset: kept as a set in consumed-like form for the check.
  if (before !== undefined && before !== value) noteConsumed(h, partition, offset, value);
  m.set(offset, value);
}

export function noteConsumed(h: History, partition: number, offset: number, value: string): void {
  entry(
    entry(h.consumed, partition, () => new Map<number, Set<string>>()),
    offset,
    () => new Set<string>(),
  ).add(value);
}

export function countEvent(h: History, what: string): void {
  h.clientEvents.set(what, (h.clientEvents.get(what) ?? 0) + 1);
}

/** `<producer>-<n>` -> [producer, n]. */
export function parseValue(value: string): [string, number] | undefined {
  const dash = value.lastIndexOf('-');
  if (dash < 0) return undefined;
  const n = Number(value.slice(dash + 1));
  return Number.isInteger(n) ? [value.slice(0, dash), n] : undefined;
}

/** One partition's log after the final drain: every data record in offset order, and which of them a read_committed reader gets. */
export interface DrainedPartition {
  records: Array<{ offset: number; value: string; committed: boolean }>;
}

export interface Anomalies {
  lost: string[];
  duplicates: string[];
  twoValuesAtOneOffset: string[];
  reordered: string[];
  abortedReads: string[];
  unseen: string[];
}

/** The checks; every list must come out empty. */
export function check(h: History, drained: Map<number, DrainedPartition>): Anomalies {
  const a: Anomalies = { lost: [], duplicates: [], twoValuesAtOneOffset: [], reordered: [], abortedReads: [], unseen: [] };
  const where = new Map<string, Array<{ partition: number; offset: number; committed: boolean }>>();
  for (const [partition, d] of drained) {
    const lastN = new Map<string, number>();
    for (const r of d.records) {
      entry(where, r.value, () => []).push({ partition, offset: r.offset, committed: r.committed });
      // Within a partition a producer's values must come in the order it sent them.
      const pv = parseValue(r.value);
      if (pv) {
        const prev = lastN.get(pv[0]);
        if (prev !== undefined && pv[1] <= prev) a.reordered.push(`${r.value} after ${pv[0]}-${prev} in partition ${partition}`);
        lastN.set(pv[0], pv[1]);
      }
      // The drain against what producers were told and consumers were handed at this offset.
      const told = h.producerOffsets.get(partition)?.get(r.offset);
      const seen = new Set(h.consumed.get(partition)?.get(r.offset) ?? []);
      if (told !== undefined) seen.add(told);
      seen.add(r.value);
      if (seen.size > 1) a.twoValuesAtOneOffset.push(`partition ${partition} offset ${r.offset}: ${[...seen].join(', ')}`);
      if (r.committed && h.aborted.has(r.value)) a.abortedReads.push(`${r.value} (final drain, partition ${partition} offset ${r.offset})`);
    }
  }
  // Offsets consumers or producers saw that the drain does not have at all.
  const drainedOffsets = new Map([...drained].map(([p, d]) => [p, new Set(d.records.map((r) => r.offset))]));
  const drainedAt = (p: number, o: number) => drainedOffsets.get(p)?.has(o) ?? false;
  for (const [p, offsets] of h.consumed) {
    for (const [o, values] of offsets) {
      if (values.size > 1 && !drainedAt(p, o)) a.twoValuesAtOneOffset.push(`partition ${p} offset ${o}: ${[...values].join(', ')}`);
      for (const v of values) if (h.aborted.has(v)) a.abortedReads.push(`${v} (group consumer, partition ${p} offset ${o})`);
    }
  }
  for (const [v, list] of where)
    if (list.length > 1) a.duplicates.push(`${v} at ${list.map((l) => `${l.partition}/${l.offset}`).join(' and ')}`);
  const consumedValues = new Set<string>();
  for (const offsets of h.consumed.values()) for (const values of offsets.values()) for (const v of values) consumedValues.add(v);
  for (const v of acknowledged(h)) {
    const list = where.get(v);
    if (!list?.some((l) => l.committed)) a.lost.push(v);
    else if (!consumedValues.has(v)) a.unseen.push(v);
  }
  return a;
}

/** Every acknowledged value: idempotent acknowledgements and the values of acknowledged commits. */
export function acknowledged(h: History): Set<string> {
  return new Set([...h.committed, ...h.acked.keys()]);
}
