// Oracle: client telemetry (KIP-714) and CLIENT_METRICS config resources against Kafka 4.4 (see test/oracle/oracle.ts).
import { oracleSuite } from './oracle.js';
import { TELEMETRY_SCENARIOS } from './scenarios/telemetry.js';

oracleSuite('telemetry', TELEMETRY_SCENARIOS);
