// The differential oracle: the same scenario, request by request, sent over TCP to a real
// Apache Kafka 4.4 broker (test/jvm/kafka.ts) and to an in-process kafkalite, the answers
// normalised (only the fields listed in NORMALISE, each with its reason) and compared field by
// field. A mismatch fails its scenario unless a row of docs/DIVERGENCES.md covers it; a row
// that covers nothing in the scenarios it names fails the suite, so the table stays true.
//
//   oracleSuite('groups', GROUP_SCENARIOS);   // one Kafka and one kafkalite per test file
//
// A scenario is data (test/oracle/scenarios/*.ts): an id, the API under test, the versions to
// run it at ('span': the oldest, a middle and the newest version both brokers serve), and its
// steps. Steps with `compare: false` are setup (creating topics, joining a group); the rest
// are compared. Each version runs as its own instance with its own names (ctx.name), on fresh
// connections, so instances never see each other's state.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { ApiVersions } from '../../protocol/messages/index.js';
import type { ApiSpec } from '../../protocol/schema.js';
import { startKafka, type RealKafka } from '../jvm/kafka.js';
import { WireClient, type SendOptions } from '../integration/wire-client.js';
import { compareValues, globMatches, normaliseResponse, type Mismatch, type Rule } from './normalise.js';
import { DIVERGENCES, type Divergence } from './divergences.js';

export type Side = 'kafka' | 'kafkalite';

/** A decoded response or saved value of any API: scenarios read them like JSON. */
// biome-ignore lint/suspicious/noExplicitAny: responses of every API pass through the same steps
export type Res = any;

/** Served version range per API key, as each broker's ApiVersions says. */
export type Served = Map<number, { min: number; max: number }>;

export interface Ctx {
  readonly side: Side;
  /** The version this instance runs the scenario's API at. */
  readonly v: number;
  /** Instance-unique name: `${scenario id}-v${v}-${suffix}`, legal as a topic, group or transactional id. */
  name(suffix: string): string;
  /** Values saved by earlier steps of this instance (on this side). */
  readonly vars: Record<string, Res>;
  /** The newest version of `api` both brokers serve. */
  newest(api: ApiSpec): number;
}

type Body = Record<string, unknown>;

export interface Step {
  api: ApiSpec;
  /** Version: default the instance version for the scenario's API, else the newest both serve. */
  v?: number | ((c: Ctx) => number);
  body: Body | ((c: Ctx) => Body);
  /** false: setup, sent to both but not compared. */
  compare?: boolean;
  /** Setup only: resend until this holds (Kafka creates internal topics and propagates metadata asynchronously). */
  until?: (res: Res) => boolean;
  /** Keep values from the response for later steps (per side). */
  save?: (res: Res, c: Ctx) => void;
  /** Connection to use (default 'main'); a new name opens a new connection. */
  conn?: string;
  opts?: SendOptions;
  /** Sleep before sending (ms), e.g. to let a session expire. */
  delayMs?: number;
}

export interface Scenario {
  /** Unique across the corpus: 'area/name'. */
  id: string;
  api: ApiSpec;
  /** 'span' (default): oldest, middle, newest both serve; or explicit versions (each must be served by both). */
  versions?: 'span' | 'newest' | 'oldest' | number[];
  /** What it checks, for the reader. */
  about?: string;
  steps: Step[] | ((c: Ctx) => Step[]);
  /** Extra normalisation for this scenario only (each with its reason). */
  normalise?: Rule[];
  /** Adjust the normalised pair before comparing (e.g. ApiVersions: set aside what Kafka serves beyond kafkalite). */
  adjust?: (kafka: Res, lite: Res, log: (line: string) => void) => void;
}

/** Broker configs both sides start with (a single node, as test/jvm/kafka.ts sets up Kafka). */
export const COMMON_CONFIG: Record<string, string | number> = {
  'offsets.topic.replication.factor': 1,
  'offsets.topic.num.partitions': 1,
  'transaction.state.log.replication.factor': 1,
  'transaction.state.log.min.isr': 1,
  'transaction.state.log.num.partitions': 1,
  'group.initial.rebalance.delay.ms': 0,
};

interface Pair {
  kafka: RealKafka;
  lite: Broker;
  served: Record<Side, Served>;
}

/**
 * Versions Kafka 4.4 advertises but rejects (it closes the connection): Produce v0-2 stay in its
 * ApiVersions only so that old librdkafka builds connect (KAFKA-18659, KIP-896). 'span' starts
 * above them; data/produce-removed-versions covers them.
 */
const KAFKA_ACCEPTS_FROM: Record<number, number> = { 0: 3 };

/**
 * The newest version that still names topics by name, for the APIs whose next versions name them
 * by id only (Produce v13, OffsetCommit/OffsetFetch v10, TxnOffsetCommit v6). The corpus builds its
 * bodies by name, so 'span' and setup steps stay at or below these; the id-only versions are
 * compared in v44-versions.test.ts, which looks each broker's topic ids up first.
 */
const NAMES_UNTIL: Record<number, number> = { 0: 12, 8: 9, 9: 9, 28: 5 };
const byName = (apiKey: number, max: number) => Math.min(max, NAMES_UNTIL[apiKey] ?? max);

/** The versions an instance of `s` runs at, given both brokers' ranges. */
export function instanceVersions(s: Scenario, served: Record<Side, Served>): number[] {
  const served0 = served.kafka.get(s.api.apiKey);
  const k = served0 && { min: Math.max(served0.min, KAFKA_ACCEPTS_FROM[s.api.apiKey] ?? 0), max: served0.max };
  const l = served.kafkalite.get(s.api.apiKey);
  if (Array.isArray(s.versions)) return s.versions;
  if (!k || !l) throw new Error(`${s.id}: ${s.api.name} is not served by ${k ? 'kafkalite' : 'Kafka'}`);
  const min = Math.max(k.min, l.min);
  const max = byName(s.api.apiKey, Math.min(k.max, l.max));
  if (min > max) throw new Error(`${s.id}: no version of ${s.api.name} served by both`);
  if (s.versions === 'newest') return [max];
  if (s.versions === 'oldest') return [min];
  return [...new Set([min, Math.floor((min + max) / 2), max])];
}

function makeCtx(side: Side, id: string, v: number, served: Record<Side, Served>): Ctx {
  const base = `${id.replace(/[^a-zA-Z0-9-]/g, '-')}-v${v}`;
  return {
    side,
    v,
    vars: {},
    name: (suffix) => `${base}-${suffix}`,
    newest(api) {
      const k = served.kafka.get(api.apiKey);
      const l = served.kafkalite.get(api.apiKey);
      if (!k || !l) throw new Error(`${api.name} is not served by both`);
      return byName(api.apiKey, Math.min(k.max, l.max));
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the steps of one instance against one broker; returns the compared responses. */
async function runSide(bootstrap: string, s: Scenario, ctx: Ctx): Promise<Array<{ step: number; api: ApiSpec; v: number; res: unknown }>> {
  const conns = new Map<string, WireClient>();
  const out: Array<{ step: number; api: ApiSpec; v: number; res: unknown }> = [];
  try {
    const steps = typeof s.steps === 'function' ? s.steps(ctx) : s.steps;
    for (const [i, step] of steps.entries()) {
      const key = step.conn ?? 'main';
      if (!conns.has(key)) conns.set(key, await WireClient.connect(bootstrap));
      const conn = conns.get(key)!;
      const v = typeof step.v === 'function' ? step.v(ctx) : (step.v ?? (step.api === s.api ? ctx.v : ctx.newest(step.api)));
      if (step.delayMs) await sleep(step.delayMs);
      const send = async (): Promise<unknown> => {
        const body = typeof step.body === 'function' ? step.body(ctx) : step.body;
        try {
          return await conn.send(step.api, v, body as never, step.opts);
        } catch (e) {
          // A closed connection is an answer too (Kafka closes on some malformed requests).
          if (conn.closed) {
            conns.delete(key);
            return { connectionClosed: true };
          }
          throw e;
        }
      };
      let res = await send();
      if (step.until) {
        const deadline = Date.now() + 20_000;
        while (!step.until(res)) {
          if (Date.now() > deadline)
            throw new Error(`${ctx.side}: step ${i} (${step.api.name}) never met its condition: ${JSON.stringify(res)}`);
          await sleep(100);
          res = await send();
        }
      }
      step.save?.(res, ctx);
      if (step.compare !== false) out.push({ step: i, api: step.api, v, res });
    }
  } finally {
    await Promise.all([...conns.values()].map((c) => c.close()));
  }
  return out;
}

export interface InstanceResult {
  key: string;
  comparisons: number;
  mismatches: Mismatch[];
  log: string[];
}

/** Runs one scenario instance on both brokers and compares the answers. */
export async function runInstance(pair: Pair, s: Scenario, v: number): Promise<InstanceResult> {
  const key = `${s.id}@v${v}`;
  const [k, l] = await Promise.all([
    runSide(pair.kafka.bootstrap, s, makeCtx('kafka', s.id, v, pair.served)),
    runSide(pair.lite.bootstrap, s, makeCtx('kafkalite', s.id, v, pair.served)),
  ]);
  assert.equal(k.length, l.length);
  const mismatches: Mismatch[] = [];
  const log: string[] = [];
  const placeholders = { kafka: new Map<string, Map<unknown, string>>(), kafkalite: new Map<string, Map<unknown, string>>() };
  for (let i = 0; i < k.length; i++) {
    const { api, v: sv, step } = k[i]!;
    const kn = normaliseResponse(api.name, k[i]!.res, s.normalise ?? [], placeholders.kafka);
    const ln = normaliseResponse(api.name, l[i]!.res, s.normalise ?? [], placeholders.kafkalite);
    s.adjust?.(kn, ln, (line) => log.push(line));
    for (const m of compareValues(kn, ln, '')) mismatches.push({ ...m, step: `#${step} ${api.name} v${sv}` });
  }
  return { key, comparisons: k.length, mismatches, log };
}

function rowCovers(row: Divergence, s: Scenario, key: string, m: Mismatch): boolean {
  const scenarioOk = row.scenario.includes('@') ? globMatches(row.scenario, key) : globMatches(row.scenario, s.id);
  return scenarioOk && globMatches(row.path, m.path);
}

function fmt(v: unknown): string {
  const s = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : x));
  const max = Number(process.env.ORACLE_DIFF_CHARS ?? 300);
  return s === undefined ? 'undefined' : s.length > max ? `${s.slice(0, max)}…` : s;
}

async function servedOf(bootstrap: string): Promise<Served> {
  const c = await WireClient.connect(bootstrap);
  try {
    const res = await c.send(ApiVersions, 3, { clientSoftwareName: 'kafkalite-oracle', clientSoftwareVersion: '1' });
    return new Map(res.apiKeys.map((a) => [a.apiKey, { min: a.minVersion, max: a.maxVersion }]));
  } finally {
    await c.close();
  }
}

/** Totals across the suites of one process, printed at exit. */
const TOTALS = { scenarios: 0, instances: 0, comparisons: 0 };
process.once('exit', () => {
  if (TOTALS.scenarios > 0)
    console.log(`oracle: ${TOTALS.scenarios} scenarios, ${TOTALS.instances} instances, ${TOTALS.comparisons} request/response comparisons`);
});

/** One test file: one Kafka and one kafkalite (both with `opts.config` on top), every scenario of `scenarios` a test. */
export function oracleSuite(area: string, scenarios: Scenario[], opts: { config?: Record<string, string | number> } = {}): void {
  const ids = new Set<string>();
  for (const s of scenarios) {
    if (!s.id.startsWith(`${area}/`)) throw new Error(`scenario ${s.id} is not in area ${area}`);
    if (ids.has(s.id)) throw new Error(`duplicate scenario id ${s.id}`);
    ids.add(s.id);
  }
  const rows = DIVERGENCES.filter((r) => scenarios.some((s) => globMatches(r.scenario.split('@')[0]!, s.id)));
  const used = new Set<Divergence>();

  describe(`oracle: ${area} (Kafka 4.4 vs kafkalite)`, { timeout: 600_000 }, () => {
    let pair: Pair;
    before(async () => {
      // node.id as test/jvm/kafka.ts sets it for Kafka, so both describe it as a static config.
      const [kafka, lite] = await Promise.all([
        startKafka(opts.config ? { config: opts.config } : {}),
        startBroker({ config: { ...COMMON_CONFIG, 'node.id': 1, ...opts.config } }),
      ]);
      const [k, l] = await Promise.all([servedOf(kafka.bootstrap), servedOf(lite.bootstrap)]);
      pair = { kafka, lite, served: { kafka: k, kafkalite: l } };
    });
    after(async () => {
      await Promise.all([pair?.kafka.stop(), pair?.lite.stop()]);
    });

    for (const s of scenarios) {
      test(s.id, async (t) => {
        TOTALS.scenarios++;
        const uncovered: string[] = [];
        for (const v of instanceVersions(s, pair.served)) {
          const r = await runInstance(pair, s, v);
          TOTALS.instances++;
          TOTALS.comparisons += r.comparisons;
          for (const line of r.log) t.diagnostic(`${r.key}: ${line}`);
          for (const m of r.mismatches) {
            const row = rows.find((x) => rowCovers(x, s, r.key, m));
            if (row) used.add(row);
            else
              uncovered.push(`${r.key} ${m.step} ${m.path || '(root)'}\n      kafka:     ${fmt(m.kafka)}\n      kafkalite: ${fmt(m.lite)}`);
          }
        }
        if (uncovered.length > 0) assert.fail(`${uncovered.length} divergence(s) not in docs/DIVERGENCES.md:\n  ${uncovered.join('\n  ')}`);
      });
    }

    test(`docs/DIVERGENCES.md rows of ${area} all still describe a divergence`, () => {
      const stale = rows.filter((r) => !used.has(r));
      assert.deepEqual(
        stale.map((r) => `${r.id} ${r.scenario} ${r.path}`),
        [],
        'these rows match no divergence any more: delete them',
      );
    });
  });
}
