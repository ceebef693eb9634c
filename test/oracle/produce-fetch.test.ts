// Oracle: Produce, Fetch, ListOffsets, OffsetForLeaderEpoch, DeleteRecords, DescribeProducers
// against Kafka 4.4 (see test/oracle/oracle.ts).
import { oracleSuite } from './oracle.js';
import { PRODUCE_FETCH_SCENARIOS } from './scenarios/produce-fetch.js';

oracleSuite('data', PRODUCE_FETCH_SCENARIOS);
