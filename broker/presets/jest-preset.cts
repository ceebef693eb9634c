// `kafkalite/jest-preset` (jest's `preset: 'kafkalite'`): the shared broker's globalSetup and
// globalTeardown (jest.ts), Node test environment. CommonJS, as jest loads presets with require.
import { join } from 'node:path';

export = {
  testEnvironment: 'node',
  globalSetup: join(__dirname, 'jest-setup.js'),
  globalTeardown: join(__dirname, 'jest-teardown.js'),
};
