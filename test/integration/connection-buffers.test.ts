// Reused memory on the hot path (broker/buffer-pool.ts) over real TCP: a request frame's pooled
// memory goes back only after a Produce (whose records the log copied), never after a request whose
// bytes the broker keeps (JoinGroup metadata); a Fetch's pooled read memory goes back only once its
// response has left the process, however slowly the client reads. Each test would read other
// bytes than it wrote if memory were reused while still referenced.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { framePool, readPool } from '../../broker/buffer-pool.js';
import { startBroker } from '../../broker/index.js';
import { responseDecoder } from '../../protocol/client-codec.js';
import { DescribeGroups, Fetch } from '../../protocol/messages/index.js';
import { Member } from './group-client.js';
import { batch, fetchBody, magic2Records, produceOne, T } from './wire-errors-helpers.js';
import { requestFrame, WireClient } from './wire-client.js';

const KiB = 1024;

/** A batch of `count` records of `size` bytes, every value distinct and tagged with `tag`. */
function values(tag: string, from: number, count: number, size: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => {
    const v = randomBytes(size);
    v.write(`${tag}:${from + i}:`, 0);
    return v;
  });
}

test('Produce frames in pooled memory: every stored record is the one sent, and memory is reused', T, async () => {
  const broker = await startBroker({ topics: { p: 1 } });
  const c = await WireClient.connect(broker.bootstrap);
  try {
    const sent: Buffer[] = [];
    const reusedBefore = framePool.reused;
    // ~300 KB frames span several socket chunks, so each is read into pooled memory.
    for (let i = 0; i < 12; i++) {
      const vs = values('p', sent.length, 30, 10 * KiB);
      sent.push(...vs);
      assert.equal((await produceOne(c, 'p', 0, batch(vs.map((value) => ({ value }))))).errorCode, 0);
    }
    assert.ok(framePool.reused > reusedBefore, 'later produce frames reuse the memory of earlier ones');
    const got: Buffer[] = [];
    while (got.length < sent.length) {
      const res = await c.send(Fetch, 11, fetchBody([{ topic: 'p', partition: 0, offset: got.length }]));
      const recs = magic2Records(res.responses[0]!.partitions[0]!.records as Buffer).records;
      assert.ok(recs.length > 0);
      got.push(...recs.map((r) => r.value!));
    }
    assert.equal(got.length, sent.length);
    for (const [i, v] of sent.entries()) assert.ok(got[i]!.equals(v), `record ${i} is the one produced`);
  } finally {
    await c.close();
    await broker.stop();
  }
});

test('A frame the broker keeps slices of (JoinGroup metadata) is not reused by later Produce frames', T, async () => {
  const broker = await startBroker({ topics: { p: 1, t: 1 } });
  const c = await WireClient.connect(broker.bootstrap);
  const metadata = randomBytes(300 * KiB);
  const m = await Member.connect(broker.bootstrap, 'big-metadata', { protocols: [{ name: 'range', metadata }] });
  try {
    assert.equal((await m.join()).errorCode, 0);
    // Stable: DescribeGroups answers the members' metadata (Kafka's ClassicGroup.describe).
    assert.equal((await m.sync([{ memberId: m.memberId, assignment: Buffer.alloc(0) }])).errorCode, 0);
    // Frames of the same size class, on the member's connection and on another one.
    for (let i = 0; i < 6; i++) {
      const vs = values('j', i * 30, 30, 10 * KiB).map((value) => ({ value }));
      assert.equal((await produceOne(m.main, 'p', 0, batch(vs))).errorCode, 0);
      assert.equal((await produceOne(c, 'p', 0, batch(vs))).errorCode, 0);
    }
    const described = await c.send(DescribeGroups, 0, { groups: ['big-metadata'] });
    const member = described.groups[0]!.members[0]!;
    assert.ok(Buffer.from(member.memberMetadata).equals(metadata), 'the member metadata is the one joined with');
  } finally {
    await m.close();
    await c.close();
    await broker.stop();
  }
});

/** Send a Fetch on a raw socket and stop reading as soon as the response starts arriving. */
async function stalledFetch(
  bootstrap: string,
  body: ReturnType<typeof fetchBody>,
): Promise<{ socket: Socket; rest: () => Promise<Buffer> }> {
  const [host, port] = bootstrap.split(':');
  const socket = connect({ host: host!, port: Number(port) });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const chunks: Buffer[] = [];
  let have = 0;
  let need = -1;
  let finished: (() => void) | null = null;
  const started = new Promise<void>((resolve) => {
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      have += d.length;
      if (need < 0 && have >= 4) need = Buffer.concat(chunks).readInt32BE(0) + 4;
      if (chunks.length === 1) {
        socket.pause();
        resolve();
      }
      if (need >= 0 && have >= need) finished?.();
    });
  });
  socket.write(requestFrame(Fetch, 11, body, { correlationId: 7 }));
  await started;
  return {
    socket,
    rest: () =>
      new Promise<Buffer>((resolve) => {
        finished = () => resolve(Buffer.concat(chunks).subarray(4, need));
        socket.resume();
        if (need >= 0 && have >= need) finished();
      }),
  };
}

test('Fetch reads in pooled memory: a response still being sent keeps its memory from other fetches', T, async () => {
  const broker = await startBroker({ topics: { a: 6, b: 6 } });
  const c = await WireClient.connect(broker.bootstrap);
  try {
    // 6 partitions of 4 MiB per topic: a 24 MiB response is far more than the socket buffers hold.
    const sent = new Map<string, Buffer[]>();
    for (const topic of ['a', 'b']) {
      for (let p = 0; p < 6; p++) {
        const all: Buffer[] = [];
        for (let i = 0; i < 4; i++) {
          const vs = values(`${topic}${p}`, all.length, 100, 10 * KiB);
          all.push(...vs);
          assert.equal((await produceOne(c, topic, p, batch(vs.map((value) => ({ value }))))).errorCode, 0);
        }
        sent.set(`${topic}${p}`, all);
      }
    }
    const whole = (topic: string) =>
      fetchBody(
        Array.from({ length: 6 }, (_, p) => ({ topic, partition: p, offset: 0, partitionMaxBytes: 8 << 20 })),
        { maxBytes: 64 << 20 },
      );
    const check = (res: { responses: Array<{ topic: string; partitions: Array<{ partitionIndex: number; records: unknown }> }> }) => {
      for (const t of res.responses) {
        for (const p of t.partitions) {
          const got = magic2Records(p.records as Buffer).records.map((r) => r.value!);
          const want = sent.get(`${t.topic}${p.partitionIndex}`)!;
          assert.equal(got.length, want.length, `${t.topic}-${p.partitionIndex}: every record`);
          for (const [i, v] of want.entries()) assert.ok(got[i]!.equals(v), `${t.topic}-${p.partitionIndex} record ${i}`);
        }
      }
    };
    const slow = await stalledFetch(broker.bootstrap, whole('a'));
    try {
      // While 'a' is stuck in the broker's write queue, other fetches read 'b' into pooled memory.
      for (let i = 0; i < 3; i++) check(await c.send(Fetch, 11, whole('b')));
      const frame = await slow.rest();
      check(responseDecoder(Fetch, 11, { strict: true })(frame).body);
    } finally {
      slow.socket.destroy();
    }
    const reusedBefore = readPool.reused;
    check(await c.send(Fetch, 11, whole('a')));
    assert.ok(readPool.reused > reusedBefore, 'a fetch after the responses were written reuses their memory');
  } finally {
    await c.close();
    await broker.stop();
  }
});
