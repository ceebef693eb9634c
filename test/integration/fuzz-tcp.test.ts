// A seeded, short pass of the TCP frame mutator (test/fuzz/run.ts) against an in-process broker:
// mutated and generated request frames of every served API and version (plus frames captured
// from real clients, test/fuzz/fixtures/) over many connections, a kafkajs canary producing and
// consuming throughout. The broker must not log a handler failure, leave an unhandled rejection,
// stop answering, or stall the canary; its RSS must not grow past the run's bound although the
// fuzzed CreateTopics/CreatePartitions create topics (deleted between rounds, test/fuzz/topics.ts).
// FUZZ_SECONDS (default 10) and FUZZ_SEED (default 14).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runFuzz } from '../fuzz/run.js';

test('TCP frame mutator: no crash, no unhandled rejection, the canary keeps working', async (t) => {
  const stats = await runFuzz({ seconds: Number(process.env.FUZZ_SECONDS ?? 10), seed: Number(process.env.FUZZ_SEED ?? 14) });
  const summary = `${stats.frames} frames (${stats.framesPerSecond}/s) from ${stats.seeds} seeds; RSS MiB ${stats.rssStartMiB}/${stats.rssEndMiB}/${stats.rssPeakMiB}; p99 ${stats.eventLoopDelayP99Ms} ms; ${stats.topicsDeleted} topics (${stats.partitionsDeleted} partitions) deleted between rounds`;
  t.diagnostic(summary);
  assert.deepEqual(stats.crashLines, [], summary);
  assert.equal(stats.unhandledRejections, 0);
  assert.ok(stats.brokerAlive, 'the broker still answers ApiVersions');
  assert.ok(stats.canaryConsumed > 0, `canary: produced ${stats.canaryProduced}, consumed ${stats.canaryConsumed}`);
  assert.ok(stats.frames > 100, summary);
  assert.ok(stats.rssGrowthMiB <= stats.maxRssGrowthMiB, `RSS grew ${stats.rssGrowthMiB} MiB: ${summary}`);
  // The broker closed broken frames with a reason (each connection at most one line).
  assert.ok(stats.closeReasons.size > 0, 'some frames were refused with a logged reason');
});
