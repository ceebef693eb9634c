// What every fault rule of the test kit shares, request faults (faults.ts) and disk faults
// (disk-faults.ts) alike: an id, a hit count against `times` (default 1; Infinity: until
// removed), fired() to await it, and its status as plain data, so `faults.list()`, `verify()`,
// strict mode and the control API (broker/control/kit.ts) treat both kinds the same way.

/** A rule's counters and proof, as plain data. */
export interface FaultStatus {
  id: number;
  api: string;
  hits: number;
  times: number;
  done: boolean;
}

export abstract class FaultRule {
  hits = 0;
  private waiters: Array<() => void> = [];
  abstract readonly id: number;
  abstract readonly spec: { readonly times?: number };

  /** What status() reports as the rule's api: the API's name, or 'disk'. */
  protected abstract get label(): string;

  /** Retire the rule now. */
  abstract remove(): void;

  get times(): number {
    return this.spec.times ?? 1;
  }
  get done(): boolean {
    return this.hits >= this.times;
  }

  /** Resolves once the rule has hit `times` times (at once if it already has; Infinity: once it hit at all). */
  fired(): Promise<void> {
    if (this.done || (this.times === Infinity && this.hits > 0)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  status(): FaultStatus {
    return { id: this.id, api: this.label, hits: this.hits, times: this.times, done: this.done };
  }

  /** Count one hit; wakes fired() waiters when due. */
  hit(): void {
    this.hits++;
    if (this.done || this.times === Infinity) for (const w of this.waiters.splice(0)) w();
  }
}
