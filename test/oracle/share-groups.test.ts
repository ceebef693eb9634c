// Oracle: KIP-932 share groups (membership) against Kafka 4.4 (see test/oracle/oracle.ts).
import { oracleSuite } from './oracle.js';
import { SHARE_GROUP_SCENARIOS } from './scenarios/share-groups.js';

oracleSuite('share', SHARE_GROUP_SCENARIOS);
