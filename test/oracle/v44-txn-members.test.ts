// A zombie's transactional offsets, with the Java client 4.4 (test/jvm/programs/Transactions.java
// `zombie`) against Apache Kafka 4.4.0 and kafkalite: sendOffsetsToTransaction with a
// consumer's groupMetadata() one generation ahead, or with a member id the group does not know,
// fails with CommitFailedException and the transaction aborts, for a classic group and a KIP-848
// one; the real groupMetadata() then commits. TxnOffsetCommit's wire answers are compared in
// test/oracle/scenarios/txn-members.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker } from '../../broker/index.js';
import { javaProgram } from '../integration/java-helpers.js';
import { startKafka } from '../jvm/kafka.js';

const SCENARIOS = ['zombie,zin,zg,classic', 'zombie,zin2,zg2,consumer'];

test('sendOffsetsToTransaction with a stale generation or an unknown member: refused as by Kafka 4.4', { timeout: 240_000 }, async () => {
  const [kafka, broker] = await Promise.all([startKafka(), startBroker({})]);
  try {
    const fromKafka = await javaProgram('Transactions', kafka.bootstrap, SCENARIOS);
    const fromLite = await javaProgram('Transactions', broker.bootstrap, SCENARIOS);
    assert.deepEqual(fromLite, fromKafka);
    for (const protocol of ['classic', 'consumer'])
      assert.deepEqual(
        fromLite.find((l) => l.protocol === protocol),
        {
          scenario: 'zombie',
          protocol,
          refused: ['CommitFailedException', 'CommitFailedException'],
          nothingCommittedByZombies: true,
          committedOffset: 10,
        },
      );
  } finally {
    await Promise.all([kafka.stop(), broker.stop()]);
  }
});
