// Oracle: KIP-1071 streams groups against Kafka 4.4 (see test/oracle/oracle.ts).
import { oracleSuite } from './oracle.js';
import { STREAMS_SCENARIOS } from './scenarios/streams.js';

oracleSuite('streams', STREAMS_SCENARIOS);
