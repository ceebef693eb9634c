// The in-memory footprint per partition of the disk store over the memory file system
// (storage/fs/memory-fs.ts) against the memory store: one broker with N empty partitions, heap and
// array buffers after a full GC, per partition. Run with --expose-gc:
//
//   node --expose-gc dist/test/bench/memory-fs-footprint.js [partitions=1000] [memory|memfs] [records per partition=1]

import { startBroker } from '../../broker/index.js';
import { MemoryFileSystem } from '../../storage/fs/memory-fs.js';

const partitions = Number(process.argv[2] ?? 1000);
const kind = process.argv[3] ?? 'memfs';
const perPartition = Number(process.argv[4] ?? 1);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function used(): number {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const broker = await startBroker(kind === 'memfs' ? { dataDir: '/data', fs: new MemoryFileSystem() } : {});
const before = used();
const res = broker.core.topics.create('footprint', { partitions });
if (res.errorCode !== 0) throw new Error(`create failed: ${res.errorCode}`);
for (let r = 0; r < perPartition; r++) {
  await broker.produce(
    'footprint',
    Array.from({ length: partitions }, (_, partition) => ({ partition, key: `k${r}`, value: `a small record ${r}` })),
  );
}
const after = used();
console.log(
  JSON.stringify({ kind, partitions, recordsPerPartition: perPartition, bytesPerPartition: Math.round((after - before) / partitions) }),
);
await broker.stop();
