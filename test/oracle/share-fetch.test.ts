// Oracle: share groups' delivery, ShareFetch and ShareAcknowledge, against Kafka 4.4 (see test/oracle/oracle.ts).
import { oracleSuite } from './oracle.js';
import { SHARE_FETCH_SCENARIOS } from './scenarios/share-fetch.js';

oracleSuite('share-fetch', SHARE_FETCH_SCENARIOS);
