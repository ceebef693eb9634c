// Oracle: transactions and transactional produce against Kafka 4.4 (see test/oracle/oracle.ts).
import { oracleSuite } from './oracle.js';
import { TXN_SCENARIOS } from './scenarios/txn.js';

oracleSuite('txn', TXN_SCENARIOS);
