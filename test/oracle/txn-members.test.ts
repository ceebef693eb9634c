// Oracle: TxnOffsetCommit's member and generation checks against Kafka 4.4 (see test/oracle/oracle.ts).
import { oracleSuite } from './oracle.js';
import { TXN_MEMBER_SCENARIOS } from './scenarios/txn-members.js';

oracleSuite('txn-members', TXN_MEMBER_SCENARIOS);
