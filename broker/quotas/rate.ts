// The two measures Kafka's quotas use, on the broker clock (org.apache.kafka.common.metrics):
// - Rate: a windowed sum over `samples` samples of `windowMs` each (SampledStat, WindowedSum),
//   divided by the elapsed window, counted as at least samples-1 full windows (Rate.windowSize),
//   so a first burst is not measured over a few milliseconds. Byte rates and request time use it.
// - TokenBucket: tokens refill at the quota per second up to samples x window x quota, and each
//   mutation takes its count (KIP-599); controller_mutation_rate uses it.
// Throttle times follow QuotaUtils.throttleTime and ControllerMutationQuotaManager.throttleTimeMs.

export interface WindowConfig {
  samples: number;
  windowMs: number;
}

interface Sample {
  start: number;
  last: number;
  value: number;
  events: number;
}

export class Rate {
  private readonly samples: Sample[] = [];
  private current = 0;

  constructor(private readonly config: WindowConfig) {}

  record(value: number, now: number): void {
    let sample = this.currentSample(now);
    if (now - sample.start >= this.config.windowMs) sample = this.advance(now);
    sample.value += value;
    sample.events++;
    sample.last = now;
  }

  /** The rate per second at `now`. */
  measure(now: number): number {
    this.purge(now);
    let sum = 0;
    for (const s of this.samples) sum += s.value;
    return sum / (this.windowSize(now) / 1000);
  }

  /** Rate.windowSize: elapsed time since the oldest sample, at least samples-1 full windows, at least 1 ms. */
  windowSize(now: number): number {
    this.purge(now);
    let elapsed = now - this.oldest(now).start;
    const full = Math.floor(elapsed / this.config.windowMs);
    const minFull = this.config.samples - 1;
    if (full < minFull) elapsed += (minFull - full) * this.config.windowMs;
    return Math.max(elapsed, 1);
  }

  private currentSample(now: number): Sample {
    if (this.samples.length === 0) this.samples.push({ start: now, last: now, value: 0, events: 0 });
    return this.samples[this.current]!;
  }

  private advance(now: number): Sample {
    // One more than `samples`: the placeholder for a sample overlapping the window's start.
    const max = this.config.samples + 1;
    this.current = (this.current + 1) % max;
    if (this.current >= this.samples.length) {
      const s = { start: now, last: now, value: 0, events: 0 };
      this.samples.push(s);
      return s;
    }
    const s = this.samples[this.current]!;
    Object.assign(s, { start: now, last: now, value: 0, events: 0 });
    return s;
  }

  private oldest(now: number): Sample {
    const first = this.currentSample(now);
    return this.samples.reduce((a, b) => (b.start < a.start ? b : a), first);
  }

  /** Samples with no event within the whole monitored window start over. */
  private purge(now: number): void {
    const expire = this.config.samples * this.config.windowMs;
    for (const s of this.samples) if (now - s.last >= expire) Object.assign(s, { start: now, last: now, value: 0, events: 0 });
  }
}

/** Kafka's QuotaUtils.throttleTime: X = (O - T) / T x W, W the rate's current window. */
export function rateThrottleMs(observed: number, bound: number, windowMs: number): number {
  return Math.round(((observed - bound) / bound) * windowMs);
}

export class TokenBucket {
  private tokens = 0;
  private lastMs = 0;

  constructor(private readonly config: WindowConfig) {}

  /** Tokens left at `now` for a quota of `bound` per second. */
  measure(bound: number, now: number): number {
    this.refill(bound, now);
    return this.tokens;
  }

  record(bound: number, value: number, now: number): void {
    this.refill(bound, now);
    this.tokens = Math.min(this.burst(bound), this.tokens - value);
  }

  private burst(bound: number): number {
    return this.config.samples * (this.config.windowMs / 1000) * bound;
  }

  private refill(bound: number, now: number): void {
    this.tokens = Math.min(this.burst(bound), this.tokens + (bound * (now - this.lastMs)) / 1000);
    this.lastMs = now;
  }
}

/** ControllerMutationQuotaManager.throttleTimeMs: the time to earn back the missing tokens. */
export function bucketThrottleMs(tokens: number, bound: number): number {
  return Math.round((-tokens / bound) * 1000);
}
