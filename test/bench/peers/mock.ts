// librdkafka's mock cluster (rdkafka_mock, in memory, C) as a peer: a python3 process loads
// Debian's librdkafka.so.1 through ctypes (the library exports rd_kafka_mock_cluster_new and
// friends; no headers or compiler needed), hosts a 1-broker mock cluster in it, prints the
// bootstrap address and creates topics on request (a line 'topic <name> <partitions>' on stdin:
// the mock does not serve CreateTopics). CPU and RSS are the host process's: the mock's threads
// plus an idle python interpreter (~10 MB). BENCH_MOCK_LIBRDKAFKA names another librdkafka.so.

import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { PYTHON } from '../clients.js';
import { PeerUnavailable, waitForMetadata, type PeerBroker } from './broker.js';
import { spawnPeer } from './proc.js';

const HOST = `
import ctypes, sys
from ctypes import c_void_p, c_char_p, c_int, c_size_t
lib = ctypes.CDLL(sys.argv[1])
lib.rd_kafka_version_str.restype = c_char_p
lib.rd_kafka_conf_new.restype = c_void_p
lib.rd_kafka_conf_set.argtypes = [c_void_p, c_char_p, c_char_p, c_char_p, c_size_t]
lib.rd_kafka_new.restype = c_void_p
lib.rd_kafka_new.argtypes = [c_int, c_void_p, c_char_p, c_size_t]
lib.rd_kafka_mock_cluster_new.restype = c_void_p
lib.rd_kafka_mock_cluster_new.argtypes = [c_void_p, c_int]
lib.rd_kafka_mock_cluster_bootstraps.restype = c_char_p
lib.rd_kafka_mock_cluster_bootstraps.argtypes = [c_void_p]
lib.rd_kafka_mock_topic_create.restype = c_int
lib.rd_kafka_mock_topic_create.argtypes = [c_void_p, c_char_p, c_int, c_int]
lib.rd_kafka_mock_cluster_destroy.argtypes = [c_void_p]
lib.rd_kafka_destroy.argtypes = [c_void_p]
err = ctypes.create_string_buffer(512)
conf = lib.rd_kafka_conf_new()
rk = lib.rd_kafka_new(0, conf, err, 512)
if not rk:
    sys.exit('rd_kafka_new: ' + err.value.decode())
mc = lib.rd_kafka_mock_cluster_new(rk, 1)
if not mc:
    sys.exit('rd_kafka_mock_cluster_new failed')
print('MOCK_BOOTSTRAP=%s librdkafka=%s' % (lib.rd_kafka_mock_cluster_bootstraps(mc).decode(), lib.rd_kafka_version_str().decode()), flush=True)
for line in sys.stdin:
    parts = line.split()
    if len(parts) == 3 and parts[0] == 'topic':
        print('TOPIC %s %d' % (parts[1], lib.rd_kafka_mock_topic_create(mc, parts[1].encode(), int(parts[2]), 1)), flush=True)
lib.rd_kafka_mock_cluster_destroy(mc)
lib.rd_kafka_destroy(rk)
`;

export async function startMockPeer(): Promise<PeerBroker> {
  const lib = process.env.BENCH_MOCK_LIBRDKAFKA || 'librdkafka.so.1';
  const probe = spawnSync(PYTHON, ['-c', 'import ctypes, sys; ctypes.CDLL(sys.argv[1]).rd_kafka_mock_cluster_new', lib], {
    encoding: 'utf8',
  });
  if (probe.error) throw new PeerUnavailable(`${PYTHON} not found (the mock's host process is python3 + ctypes)`);
  if (probe.status !== 0) {
    throw new PeerUnavailable(
      `cannot load rd_kafka_mock_cluster_new from ${lib} (apt-get install librdkafka1, or set BENCH_MOCK_LIBRDKAFKA): ${probe.stderr.trim().split('\n').pop()}`,
    );
  }
  const t0 = performance.now();
  const p = spawnPeer(PYTHON, ['-u', '-c', HOST, lib]);
  let bootstrap: string;
  let version: string;
  let t1: number;
  try {
    const m = await p.waitFor(/MOCK_BOOTSTRAP=(\S+) librdkafka=(\S+)/, 30_000);
    bootstrap = m[1]!.split(',')[0]!;
    version = m[2]!;
    t1 = await waitForMetadata(bootstrap, 30_000, () => !p.exited());
  } catch (e) {
    await p.stop('SIGKILL');
    throw e;
  }
  let created = 0;
  return {
    name: 'mock',
    describe: `librdkafka ${version} rdkafka_mock, 1 broker, in memory (hosted by ${PYTHON} + ctypes, ${lib})`,
    bootstrap,
    pid: p.child.pid!,
    readyMs: t1 - t0,
    async createTopic(name, partitions) {
      if (!/^[\w.-]+$/.test(name)) throw new Error(`mock: bad topic name ${name}`);
      const n = ++created;
      p.child.stdin!.write(`topic ${name} ${partitions}\n`);
      // Wait for the n-th TOPIC answer line.
      const re = new RegExp(`(?:TOPIC \\S+ -?\\d+\\n[^]*?){${n - 1}}TOPIC (\\S+) (-?\\d+)`);
      const m = await p.waitFor(re, 10_000);
      if (m[1] !== name || m[2] !== '0') throw new Error(`mock: rd_kafka_mock_topic_create(${name}, ${partitions}) returned ${m[2]}`);
    },
    alive: () => !p.exited(),
    output: p.output,
    stop: () => p.stop('SIGTERM', 5000),
  };
}
