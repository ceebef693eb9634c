// Oracle: KIP-848 online migration answers at the default policy against Kafka 4.4 (see test/oracle/oracle.ts).
import { oracleSuite } from './oracle.js';
import { MIGRATION_SCENARIOS } from './scenarios/migration.js';

oracleSuite('migration', MIGRATION_SCENARIOS);
