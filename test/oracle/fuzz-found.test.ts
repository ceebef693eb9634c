// Oracle: requests the fuzzers found mishandled, against Kafka 4.4 (see test/oracle/oracle.ts).
import { oracleSuite } from './oracle.js';
import { FUZZ_FOUND_SCENARIOS } from './scenarios/fuzz-found.js';

oracleSuite('fuzz', FUZZ_FOUND_SCENARIOS);
