// The injected clock. Every timer in kafkalite (retention, segment roll, fetch long-poll,
// group session timeouts, transaction timeouts) goes through a Clock so that tests can
// swap in a VirtualClock and advance time instead of sleeping.
//
// Owner: whoever constructs the broker owns its clock; everything else receives it.

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch (like Date.now()). */
  now(): number;
  /** Monotonic milliseconds, for measuring durations. */
  monotonic(): number;
  /** Run fn once after ms. The returned handle cancels it; cancelling twice is harmless. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Run fn every ms until cancelled. */
  setInterval(fn: () => void, ms: number): TimerHandle;
}

/** Wall-clock time; timers are unref'd so an idle broker never keeps a process alive by itself. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
  monotonic(): number {
    return performance.now();
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref();
    return { cancel: () => clearTimeout(t) };
  }
  setInterval(fn: () => void, ms: number): TimerHandle {
    const t = setInterval(fn, Math.max(1, ms));
    t.unref();
    return { cancel: () => clearInterval(t) };
  }
}

interface VirtualTimer {
  id: number;
  due: number;
  fn: () => void;
  every: number; // 0 = one-shot
  cancelled: boolean;
}

/**
 * A clock that only moves when told to. `advance(ms)` fires every timer that falls due, in
 * due-time order (ties by creation order), letting promise continuations run between timers
 * so that work scheduled by one timer can arm the next.
 */
export class VirtualClock implements Clock {
  private current: number;
  private mono = 0;
  private seq = 0;
  private timers: VirtualTimer[] = [];

  constructor(startMs = Date.now()) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }
  monotonic(): number {
    return this.mono;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, Math.max(0, ms), 0);
  }
  setInterval(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, Math.max(1, ms), Math.max(1, ms));
  }

  /** Number of armed timers (for leak checks in tests). */
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /** Move time forward by ms (a number, or '45s', '2m', '500ms', '1h'), firing due timers. */
  async advance(by: number | string): Promise<void> {
    const ms = typeof by === 'number' ? by : parseDuration(by);
    const target = this.current + ms;
    for (;;) {
      await flushMicrotasks();
      const next = this.nextDue();
      if (!next || next.due > target) break;
      this.mono += next.due - this.current;
      this.current = next.due;
      if (next.every > 0) next.due += next.every;
      else this.remove(next);
      next.fn();
    }
    this.mono += target - this.current;
    this.current = target;
    await flushMicrotasks();
  }

  private add(fn: () => void, ms: number, every: number): TimerHandle {
    const timer: VirtualTimer = { id: this.seq++, due: this.current + ms, fn, every, cancelled: false };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
        this.remove(timer);
      },
    };
  }

  private remove(timer: VirtualTimer): void {
    const i = this.timers.indexOf(timer);
    if (i >= 0) this.timers.splice(i, 1);
  }

  private nextDue(): VirtualTimer | undefined {
    let best: VirtualTimer | undefined;
    for (const t of this.timers) {
      if (!best || t.due < best.due || (t.due === best.due && t.id < best.id)) best = t;
    }
    return best;
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise<void>((resolve) => setImmediate(resolve));
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** '45s' -> 45000; '1.5m' -> 90000; '250' -> 250. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!m) throw new RangeError(`not a duration: ${JSON.stringify(text)}`);
  return Math.round(Number(m[1]) * UNITS[m[2] ?? 'ms']!);
}
