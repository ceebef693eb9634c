// `kafkalite/jest/teardown`: the globalTeardown module (default export), see jest.ts.
import { globalTeardown } from './jest.js';
export default globalTeardown;
