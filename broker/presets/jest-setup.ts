// `kafkalite/jest/setup`: the globalSetup module (default export), see jest.ts.
import { globalSetup } from './jest.js';
export default globalSetup;
