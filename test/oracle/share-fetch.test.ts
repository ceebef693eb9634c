// Oracle: share groups' delivery (ShareFetch, ShareAcknowledge), the share-coordinator APIs (83-87) and share-group offsets admin (90-92), against Kafka 4.4 (see test/oracle/oracle.ts).
import { oracleSuite } from './oracle.js';
import { SHARE_FETCH_SCENARIOS } from './scenarios/share-fetch.js';

oracleSuite('share-fetch', SHARE_FETCH_SCENARIOS);
