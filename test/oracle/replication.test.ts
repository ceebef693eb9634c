// Oracle: replication as a single-node Kafka 4.4 shows it (replication factors, assignments,
// Metadata replicas/ISR, acks=all vs min.insync.replicas, ElectLeaders); see test/oracle/oracle.ts.
import { oracleSuite } from './oracle.js';
import { REPLICATION_SCENARIOS } from './scenarios/replication.js';

oracleSuite('replication', REPLICATION_SCENARIOS);
