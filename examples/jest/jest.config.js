// The kafkalite preset: globalSetup starts one broker with the control API, workers get its
// address as process.env.KAFKA_BOOTSTRAP and KAFKALITE_CONTROL, globalTeardown stops it.
module.exports = {
  preset: 'kafkalite',
  testMatch: ['<rootDir>/tests/**/*.test.js'],
  maxWorkers: 2,
  testTimeout: 30000,
  globals: { kafkalite: { topics: { seeded: 2 } } },
};
