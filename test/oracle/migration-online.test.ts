// Oracle: KIP-848 online migration (conversions, classic members in consumer groups) against Kafka 4.4 (see test/oracle/oracle.ts).
import { oracleSuite } from './oracle.js';
import { MIGRATION_ONLINE_SCENARIOS } from './scenarios/migration-online.js';

oracleSuite('migration-online', MIGRATION_ONLINE_SCENARIOS);
