// The bench's repeat helpers (test/bench/peers/repeat.ts): the interleaved order of broker starts, a cell's median and
// spread, the ratio of two cells with its round-by-round spread; and the load figures of test/bench/system.ts. The
// bench itself is not part of `npm test`: these are the pure parts its printed ratios rest on.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interleavedOrder, median, pairedRatio, repeatCellsOf, spread } from '../bench/peers/repeat.js';
import { combineLoad, loadFigure } from '../bench/system.js';
import { QueuePauseLog } from '../bench/peers/kcat-pauses.js';

test('interleaved order: every broker once per round, the order rotated each round', () => {
  const order = interleavedOrder(['A', 'B', 'C'], 4).map((x) => `${x.round}${x.broker}`);
  assert.deepEqual(order, ['0A', '0B', '0C', '1B', '1C', '1A', '2C', '2A', '2B', '3A', '3B', '3C']);
  // Over as many rounds as brokers, each broker takes each position once.
  const positions = new Map<string, number[]>();
  for (const [i, x] of interleavedOrder(['A', 'B', 'C'], 3).entries()) positions.set(x.broker, [...(positions.get(x.broker) ?? []), i % 3]);
  for (const [, p] of positions) assert.deepEqual([...p].sort(), [0, 1, 2]);
});

test('interleaved order: one round is the given order; one broker repeats; none is empty', () => {
  assert.deepEqual(
    interleavedOrder(['kafkalite', 'kafka'], 1).map((x) => x.broker),
    ['kafkalite', 'kafka'],
  );
  assert.deepEqual(
    interleavedOrder(['A'], 3).map((x) => [x.round, x.broker]),
    [
      [0, 'A'],
      [1, 'A'],
      [2, 'A'],
    ],
  );
  assert.deepEqual(interleavedOrder([], 3), []);
});

test('median and spread: odd and even counts, missing values left out', () => {
  assert.deepEqual(spread([3, 1, 2]), { median: 2, min: 1, max: 3, n: 3 });
  assert.deepEqual(spread([4, 1, 3, 2]), { median: 2.5, min: 1, max: 4, n: 4 });
  assert.deepEqual(spread([null, 5, undefined, Number.NaN]), { median: 5, min: 5, max: 5, n: 1 });
  assert.deepEqual(spread([]), { median: null, min: null, max: null, n: 0 });
  // Sorted as numbers, not as strings.
  assert.equal(median([10, 9, 100]), 10);
});

test('paired ratio: the ratio of the medians, the spread of the ratios round by round', () => {
  // kafkalite 100, 200, 150 against a peer 100, 100, 300 in the same rounds.
  const r = pairedRatio([100, 200, 150], [100, 100, 300])!;
  assert.equal(r.ratio, 150 / 100);
  assert.equal(r.min, 0.5);
  assert.equal(r.max, 2);
  assert.equal(r.n, 3);
  // A round missing on either side is out of the spread but its value still counts in that side's median.
  const m = pairedRatio([100, null, 300], [50, 100, 100])!;
  assert.equal(m.ratio, 200 / 100);
  assert.deepEqual([m.min, m.max, m.n], [2, 3, 2]);
  // One round: the spread is the ratio itself.
  assert.deepEqual(pairedRatio([3], [2]), { ratio: 1.5, min: 1.5, max: 1.5, n: 1 });
});

test('paired ratio: null when either side has no value or the divisor is 0', () => {
  assert.equal(pairedRatio([null, null], [1, 2]), null);
  assert.equal(pairedRatio([1, 2], []), null);
  assert.equal(pairedRatio([1], [0]), null);
});

test('repeated cells: names, base for its three clients, all, none; unknown names refused', () => {
  assert.deepEqual(repeatCellsOf('base-kcat,base-java'), ['base-kcat', 'base-java']);
  assert.deepEqual(repeatCellsOf(' 10k , base '), ['base-kcat', 'base-java', 'base-kafkajs', '10k']);
  assert.deepEqual(repeatCellsOf('all'), ['base-kcat', 'base-java', 'base-kafkajs', 'p100', '4producers', '1k', '10k']);
  assert.deepEqual(repeatCellsOf('none'), []);
  assert.deepEqual(repeatCellsOf(''), []);
  assert.throws(() => repeatCellsOf('base-kcat,idle1000'), /BENCH_REPEAT_CELLS: unknown "idle1000"/);
});

test('load figures: median and range of samples, several combined', () => {
  assert.deepEqual(loadFigure([1.234, 0.5, 2]), { median: 1.23, min: 0.5, max: 2, n: 3 });
  const all = combineLoad([loadFigure([1, 2, 3]), undefined, loadFigure([0.5, 4]), loadFigure([])]);
  assert.deepEqual(all, { median: 2.13, min: 0.5, max: 4, n: 5 });
});

test("kcat's queue-full pauses: counted from librdkafka's -d fetch log, split across chunks, other reasons ignored", () => {
  const at = (t: string, tail: string) =>
    `%7|${t}|FETCH|rdkafka#consumer-1| [thrd:h:1/bootstrap]: h:1/1: Topic t1 [0] in state active at offset 0 (1/100000 msgs, 0/65536 kb queued, opv 2) is ${tail}\n`;
  const log =
    at('100.000', 'fetchable') +
    '%7|100.001|CONSUME|rdkafka#consumer-1| [thrd:h:1/bootstrap]: h:1/1: Enqueue 9164 message(s)\n' +
    at('100.100', 'not fetchable: queued.min.messages exceeded') +
    at('100.900', 'fetchable') +
    at('101.000', 'not fetchable: queued.max.messages.kbytes exceeded') +
    at('101.250', 'fetchable') +
    at('101.300', 'not fetchable: forced removal');
  const q = new QueuePauseLog();
  for (let i = 0; i < log.length; i += 37) q.add(log.slice(i, i + 37));
  assert.deepEqual(q.done(), { count: 2, seconds: 1.05 });
  // A pause still open at the end runs to the last line logged.
  const open = new QueuePauseLog();
  open.add(
    at('5.000', 'not fetchable: queued.min.messages exceeded') + at('5.000', 'fetchable').replace('5.000', '5.100').replace('[0]', '[1]'),
  );
  assert.deepEqual(open.done(), { count: 1, seconds: 0.1 });
});
