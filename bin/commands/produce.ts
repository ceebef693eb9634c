// `kafkalite produce <topic>`: one record per line of standard input, over the Kafka protocol
// (like kafka-console-producer.sh). With --key-separator each line is key<sep>value (a line
// without the separator is an error, as in Kafka). On a terminal a progress line shows records,
// bytes, rate and how much of a file on stdin has been read.
//
//   kafkalite produce orders < orders.txt
//   kafkalite produce orders --key-separator : --header source=cli --acks all --compression lz4

import { fstatSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { humanBytes } from '../../broker/console/format.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { KafkaClient, TopicMetadata } from '../client/client.js';
import { Producer } from '../client/producer.js';
import { clientOptions, collectKeyValue, parseNonNegative, Progress, usageError, withClient, type ClientFlags } from './common.js';

const CODECS: Record<string, number> = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 };

interface ProduceFlags extends ClientFlags {
  keySeparator?: string;
  partition?: number;
  header: Record<string, string>;
  acks: string;
  compression: string;
  batchSize?: number;
}

/** Metadata of the topic, letting auto-creation finish (LEADER_NOT_AVAILABLE) first. */
async function topicForProduce(client: KafkaClient, topic: string): Promise<TopicMetadata> {
  for (let attempt = 0; ; attempt++) {
    const md = await client.metadata([topic], true);
    const t = md.topics.find((x) => x.name === topic);
    const retriable =
      !t || t.errorCode === ErrorCode.LEADER_NOT_AVAILABLE || t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0);
    if (t && !retriable && t.errorCode === 0) return t;
    if (!retriable || attempt >= 20) return client.topic(topic);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function registerProduce(program: Command): void {
  clientOptions(
    program.command('produce').description('produce lines from standard input, one record each (Kafka protocol)').argument('<topic>'),
  )
    .option('-K, --key-separator <sep>', 'each line is key<sep>value')
    .option('-p, --partition <n>', 'send every record to this partition (default: by key, else spread)', parseNonNegative)
    .option('-H, --header <key=value>', 'header on every record (repeatable)', collectKeyValue, {})
    .option('--acks <acks>', '1 (leader) or all', '1')
    .option('-z, --compression <codec>', 'none, gzip, snappy, lz4 or zstd', 'none')
    .option('--batch-size <records>', 'records per batch', parseNonNegative)
    .action(async (topic: string, opts: ProduceFlags) => {
      if (!(opts.compression in CODECS))
        return usageError('produce', `unknown compression ${opts.compression} (none, gzip, snappy, lz4, zstd)`);
      if (opts.acks !== '1' && opts.acks !== 'all' && opts.acks !== '-1')
        return usageError('produce', `--acks must be 1 or all, got ${opts.acks}`);
      await withClient('produce', opts, async (client) => {
        const md = await topicForProduce(client, topic);
        const producer = new Producer(client, md, {
          acks: opts.acks === '1' ? 1 : -1,
          compression: CODECS[opts.compression],
          batchRecords: opts.batchSize || undefined,
        });
        const headers = Object.entries(opts.header).map(([key, value]) => ({ key, value: Buffer.from(value, 'utf8') }));
        let inputSize = 0;
        try {
          const st = fstatSync(0);
          if (st.isFile()) inputSize = st.size;
        } catch {
          inputSize = 0;
        }
        const progress = new Progress();
        const started = Date.now();
        let lines = 0;
        let bytesRead = 0;
        const render = () => {
          const secs = Math.max(0.001, (Date.now() - started) / 1000);
          const pct = inputSize > 0 ? ` ${Math.min(100, Math.floor((bytesRead / inputSize) * 100))}% of ${humanBytes(inputSize)} |` : '';
          const rate = Math.round(producer.acked / secs).toLocaleString('en-US');
          return (
            `producing to ${topic}:${pct} ${producer.acked.toLocaleString('en-US')} records acked, ` +
            `${lines.toLocaleString('en-US')} read, ${humanBytes(producer.ackedBytes)}, ${rate} rec/s`
          );
        };
        const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
        const sep = opts.keySeparator;
        for await (const line of rl) {
          lines++;
          bytesRead += Buffer.byteLength(line) + 1;
          let key: Buffer | null = null;
          let value = line;
          if (sep !== undefined && sep !== '') {
            const i = line.indexOf(sep);
            if (i < 0) {
              await producer.flush();
              progress.done();
              throw new Error(
                `line ${lines}: no key separator ${JSON.stringify(sep)} found (${producer.acked} earlier record(s) were produced)`,
              );
            }
            key = Buffer.from(line.slice(0, i), 'utf8');
            value = line.slice(i + sep.length);
          }
          await producer.send({ key, value: Buffer.from(value, 'utf8'), headers, partition: opts.partition });
          progress.update(render);
        }
        await producer.flush();
        progress.update(render, true);
        progress.done();
        const secs = (Date.now() - started) / 1000;
        process.stderr.write(`Produced ${producer.acked} record(s) to ${topic} in ${secs.toFixed(1)} s.\n`);
      });
    });
}
