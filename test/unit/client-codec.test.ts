// protocol/client-codec.ts without sockets: responses split across chunks and pipelined,
// matched in order with the correlation id checked, abandoned requests' responses dropped.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requestFrame, responseDecoder, ResponseMatcher, type Exchange } from '../../protocol/client-codec.js';
import { encode } from '../../protocol/codec.js';
import { ResponseHeader } from '../../protocol/header.js';
import { ApiVersions, FindCoordinator } from '../../protocol/messages/index.js';
import { frame } from '../../protocol/frame.js';

/** A FindCoordinator v3 (flexible: response header v1) response frame, size prefix included. */
function coordinatorResponse(correlationId: number, nodeId: number): Buffer {
  const header = encode(ResponseHeader, 1, { correlationId });
  const body = encode(FindCoordinator.response, 3, { throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId, host: 'h', port: 9 });
  return frame(Buffer.concat([header, body]));
}

test('requestFrame: size prefix, header v2 for a flexible version, null client id', () => {
  const f = requestFrame(FindCoordinator, 3, { key: 'g', keyType: 0 }, { correlationId: 7, clientId: null });
  assert.equal(f.readInt32BE(0), f.length - 4);
  assert.deepEqual([f.readInt16BE(4), f.readInt16BE(6), f.readInt32BE(8), f.readInt16BE(12)], [10, 3, 7, -1]);
});

test('ResponseMatcher: pipelined responses in split chunks settle their requests in order', () => {
  const m = new ResponseMatcher();
  const got: Array<Exchange<unknown> | Error> = [];
  const settle = (err: Error | null, e?: Exchange<unknown>) => got.push(err ?? e!);
  m.expect(1, responseDecoder(FindCoordinator, 3, { strict: true }), settle);
  m.expect(2, responseDecoder(FindCoordinator, 3, { strict: true }), settle);
  const bytes = Buffer.concat([coordinatorResponse(1, 11), coordinatorResponse(2, 22)]);
  assert.equal(m.push(bytes.subarray(0, 3)).length, 0);
  assert.equal(m.push(bytes.subarray(3, 20)).length, 0);
  assert.equal(m.push(bytes.subarray(20)).length, 2);
  assert.equal(m.inFlight, 0);
  assert.deepEqual(
    got.map((e) => (e instanceof Error ? e.message : [e.correlationId, (e.body as { nodeId: number }).nodeId])),
    [
      [1, 11],
      [2, 22],
    ],
  );
});

test('ResponseMatcher: a wrong correlation id, an abandoned request, trailing bytes, a closed connection', () => {
  const m = new ResponseMatcher();
  const got: string[] = [];
  const settle = (err: Error | null, e?: Exchange<unknown>) => got.push(err ? err.message : `ok ${e!.correlationId}`);
  m.expect(5, responseDecoder(FindCoordinator, 3), settle);
  const abandoned = m.expect(6, responseDecoder(FindCoordinator, 3), settle);
  m.expect(7, responseDecoder(FindCoordinator, 3, { strict: true }), settle);
  m.expect(8, responseDecoder(ApiVersions, 3), settle);
  abandoned.abandon();
  m.push(coordinatorResponse(9, 1)); // answers 5 with the wrong id
  m.push(coordinatorResponse(6, 1)); // dropped
  assert.deepEqual(got, ['correlation id mismatch: expected 5, got 9']);
  const response = coordinatorResponse(7, 1);
  const withExtra = Buffer.concat([response, Buffer.from([0])]);
  withExtra.writeInt32BE(response.length - 4 + 1, 0);
  assert.equal(m.push(withExtra.subarray(0, 4)).length, 0); // the size prefix alone: nothing yet
  m.push(withExtra.subarray(4));
  assert.match(got[1]!, /FindCoordinator v3 response: 1 bytes left after the body/);
  m.failAll((id) => new Error(`closed before ${id}`));
  assert.deepEqual(got.slice(2), ['closed before 8']);
  assert.equal(m.inFlight, 0);
});
