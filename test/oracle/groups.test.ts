// Oracle: consumer groups (classic and KIP-848) and offsets against Kafka 4.4 (see test/oracle/oracle.ts).
import { oracleSuite } from './oracle.js';
import { GROUP_SCENARIOS } from './scenarios/groups.js';

oracleSuite('groups', GROUP_SCENARIOS);
