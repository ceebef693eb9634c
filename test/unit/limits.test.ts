// Java's limits in one place (protocol/limits.ts) and the places that use them agreeing: the
// long config defaults print Long.MAX_VALUE exactly, and the storage defaults are the number
// those defaults parse to.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BROKER_CONFIG_BY_NAME, TOPIC_CONFIG_BY_NAME } from '../../config/definitions.js';
import { INT32_MAX, LONG_MAX, LONG_MAX_NUMBER } from '../../protocol/limits.js';
import { DEFAULT_LOG_CONFIG } from '../../storage/types.js';

test("LONG_MAX is Java's Long.MAX_VALUE exactly; LONG_MAX_NUMBER is the double it parses to", () => {
  assert.equal(LONG_MAX, 2n ** 63n - 1n);
  assert.equal(LONG_MAX.toString(), '9223372036854775807');
  assert.equal(LONG_MAX_NUMBER, 2 ** 63);
  assert.equal(LONG_MAX_NUMBER, Number('9223372036854775807'));
  assert.equal(INT32_MAX, 2 ** 31 - 1);
});

test('"no limit" long configs default to Long.MAX_VALUE, and storage defaults to the same value', () => {
  for (const name of ['max.compaction.lag.ms', 'flush.messages', 'flush.ms', 'message.timestamp.before.max.ms']) {
    assert.equal(TOPIC_CONFIG_BY_NAME.get(name)?.default, '9223372036854775807', name);
  }
  // Kafka 4 bounds future timestamps by default (KIP-937): one hour, not "no limit".
  assert.equal(TOPIC_CONFIG_BY_NAME.get('message.timestamp.after.max.ms')?.default, '3600000');
  for (const name of ['log.cleaner.max.compaction.lag.ms', 'log.flush.interval.messages']) {
    assert.equal(BROKER_CONFIG_BY_NAME.get(name)?.default, '9223372036854775807', name);
  }
  const parsed = Number(TOPIC_CONFIG_BY_NAME.get('flush.ms')!.default);
  assert.equal(DEFAULT_LOG_CONFIG.flushMs, parsed);
  assert.equal(DEFAULT_LOG_CONFIG.flushMessages, parsed);
  assert.equal(DEFAULT_LOG_CONFIG.maxCompactionLagMs, parsed);
});
