// One kafkalite broker for the whole run (kafkalite/vitest/setup), shared by two parallel
// worker processes; tests/per-worker.test.ts starts its own broker per worker instead.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['kafkalite/vitest/setup'],
    provide: { kafkaliteOptions: { topics: { seeded: 2 } } },
    pool: 'forks',
    poolOptions: { forks: { minForks: 2, maxForks: 2 } },
    fileParallelism: true,
    testTimeout: 30_000,
  },
});
