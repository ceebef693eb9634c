// A group's timers by key (Kafka's coordinator timer keys: "join", "sync", "heartbeat:<member>",
// ...), on the injected clock: scheduling a key again replaces its timer, and a timer that fires
// forgets itself. The group that owns the instance is the only one that schedules or cancels.

import type { Clock, TimerHandle } from '../../storage/clock.js';

export class KeyedTimers {
  private readonly handles = new Map<string, TimerHandle>();

  constructor(private readonly clock: Clock) {}

  schedule(key: string, ms: number, fn: () => void): void {
    this.cancel(key);
    const handle: TimerHandle = this.clock.setTimeout(() => {
      if (this.handles.get(key) === handle) this.handles.delete(key);
      fn();
    }, ms);
    this.handles.set(key, handle);
  }

  cancel(key: string): void {
    this.handles.get(key)?.cancel();
    this.handles.delete(key);
  }

  has(key: string): boolean {
    return this.handles.has(key);
  }

  get size(): number {
    return this.handles.size;
  }

  cancelAll(): void {
    for (const t of this.handles.values()) t.cancel();
    this.handles.clear();
  }
}
