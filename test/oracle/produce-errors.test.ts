// Oracle: Produce's batch and record validation, KIP-467 record errors, against Kafka 4.4
// (see test/oracle/oracle.ts).
import { oracleSuite } from './oracle.js';
import { PRODUCE_ERROR_SCENARIOS } from './scenarios/produce-errors.js';

oracleSuite('produce-errors', PRODUCE_ERROR_SCENARIOS);
