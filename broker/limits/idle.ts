// connections.max.idle.ms on the broker clock: one sweep for all of a broker's connections, as
// Kafka's Selector checks its idle-expiry list on each poll rather than timing every channel.
// Exactly one timer is pending while any connection is watched (at the earliest deadline; a new
// connection's deadline is never earlier), so the clock's timer count does not move with
// connections and a virtual clock fires it only when a test advances past a deadline.

import type { Clock, TimerHandle } from '../../storage/clock.js';

export interface IdleWatched {
  /** Close if expired at `now`; otherwise the broker-clock time of its next deadline. Null: closed. */
  check(now: number): number | null;
}

export class IdleSweeper {
  private readonly watched = new Set<IdleWatched>();
  private timer: TimerHandle | null = null;

  constructor(
    private readonly clock: Clock,
    readonly idleMs: number,
  ) {}

  add(w: IdleWatched): void {
    this.watched.add(w);
    if (!this.timer) this.schedule(this.idleMs);
  }

  remove(w: IdleWatched): void {
    this.watched.delete(w);
    if (this.watched.size === 0) {
      this.timer?.cancel();
      this.timer = null;
    }
  }

  private schedule(ms: number): void {
    this.timer = this.clock.setTimeout(() => this.sweep(), Math.max(1, ms));
  }

  private sweep(): void {
    this.timer = null;
    const now = this.clock.now();
    let next = Number.POSITIVE_INFINITY;
    for (const w of [...this.watched]) {
      const deadline = w.check(now);
      if (deadline === null) this.watched.delete(w);
      else next = Math.min(next, deadline);
    }
    if (this.watched.size > 0) this.schedule(Math.min(next - now, this.idleMs));
  }
}
