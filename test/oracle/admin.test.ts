// Oracle: cluster administration (DescribeQuorum, UpdateFeatures, AlterPartitionReassignments,
// AlterReplicaLogDirs, the quorum and registration APIs) against Kafka 4.4 (see test/oracle/oracle.ts).
import { oracleSuite } from './oracle.js';
import { ADMIN_SCENARIOS } from './scenarios/admin.js';

oracleSuite('admin', ADMIN_SCENARIOS);
