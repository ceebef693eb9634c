// config/suggest.ts: the edit distance and the nearest-name choice behind "did you mean".

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { didYouMean, editDistance, nearestName } from '../../config/suggest.js';

test('editDistance: insertions, deletions, substitutions and swaps of neighbours cost one each', () => {
  assert.equal(editDistance('configs', 'configs'), 0);
  assert.equal(editDistance('config', 'configs'), 1);
  assert.equal(editDistance('configs', 'config'), 1);
  assert.equal(editDistance('cat', 'cut'), 1);
  assert.equal(editDistance('partitions', 'partiitons'), 1);
  assert.equal(editDistance('ab', 'ba'), 1);
  assert.equal(editDistance('partitions', 'partiotins'), 2);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('nearestName: compares without case and separators, and only within a typo distance', () => {
  const known = ['num.partitions', 'auto.create.topics.enable', 'log.retention.ms', 'log.retention.hours'];
  assert.equal(nearestName('num.partiton', known), 'num.partitions');
  assert.equal(nearestName('NUM_PARTITIONS', known), 'num.partitions');
  assert.equal(nearestName('autoCreateTopicsEnable', known), 'auto.create.topics.enable');
  assert.equal(nearestName('log.retention.hour', known), 'log.retention.hours');
  assert.equal(nearestName('super.users', known), undefined);
  assert.equal(nearestName('xyz', ['abc']), undefined);
  assert.equal(nearestName('abd', ['abc']), 'abc');
});

test('didYouMean: the hint with an optional prefix, or nothing', () => {
  assert.equal(didYouMean('config', ['configs', 'partitions']), " (did you mean 'configs'?)");
  assert.equal(didYouMean('config', ['configs'], 'topics.t.'), " (did you mean 'topics.t.configs'?)");
  assert.equal(didYouMean('banana', ['configs']), '');
});
