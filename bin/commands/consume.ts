// `kafkalite consume <topic>`: print records over the Kafka protocol (like
// kafka-console-consumer.sh). Without --group it reads every partition (or --partition) from
// the end, or from the beginning with --from-beginning, or from --offset. With --group it
// joins the consumer group (range assignment, heartbeats), starts from the group's committed
// offsets (else the beginning/end as --from-beginning says), and commits what it printed.
// It stops after --max-messages, after --timeout-ms without records, at the end of the
// partitions with --exit-at-end, or on Ctrl-C (committing and leaving the group first).
//
//   kafkalite consume orders --from-beginning --exit-at-end
//   kafkalite consume orders --group billing --format '%p:%o %k=%v\n'
//   kafkalite consume orders --format json --max-messages 10
//
// --format: value (default), kv (key<TAB>value, --key-separator to change), json (one object
// per line, keys/values as UTF-8), or a template with %t topic, %p partition, %o offset,
// %T timestamp, %k key, %v value, %h headers, \n \t.

import type { Command } from 'commander';
import { EARLIEST, LATEST, listOffsets } from '../client/admin.js';
import type { KafkaClient } from '../client/client.js';
import { Consumer, type ConsumedRecord } from '../client/consumer.js';
import { GroupMember } from '../client/group-member.js';
import { clientOptions, parseNonNegative, usageError, withClient, type ClientFlags } from './common.js';

interface ConsumeFlags extends ClientFlags {
  group?: string;
  fromBeginning?: boolean;
  partition?: number;
  offset?: number;
  format: string;
  keySeparator: string;
  maxMessages?: number;
  timeoutMs?: number;
  exitAtEnd?: boolean;
}

/** A record as one output line (without the newline for named formats). */
export function formatter(format: string, keySeparator: string): (r: ConsumedRecord) => string {
  const utf8 = (b: Buffer | null) => (b === null ? 'null' : b.toString('utf8'));
  if (format === 'value') return (r) => `${utf8(r.value)}\n`;
  if (format === 'kv') return (r) => `${utf8(r.key)}${keySeparator}${utf8(r.value)}\n`;
  if (format === 'json') {
    return (r) =>
      `${JSON.stringify({
        topic: r.topic,
        partition: r.partition,
        offset: r.offset,
        timestamp: r.timestamp,
        key: r.key === null ? null : r.key.toString('utf8'),
        value: r.value === null ? null : r.value.toString('utf8'),
        headers: Object.fromEntries(r.headers.map((h) => [h.key, h.value === null ? null : h.value.toString('utf8')])),
      })}\n`;
  }
  const template = format.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  return (r) =>
    template.replace(/%[tpoTkvh%]/g, (m) => {
      switch (m) {
        case '%t':
          return r.topic;
        case '%p':
          return String(r.partition);
        case '%o':
          return String(r.offset);
        case '%T':
          return String(r.timestamp);
        case '%k':
          return utf8(r.key);
        case '%v':
          return utf8(r.value);
        case '%h':
          return r.headers.map((h) => `${h.key}=${utf8(h.value)}`).join(',');
        default:
          return '%';
      }
    });
}

function write(text: string): Promise<void> {
  return new Promise((resolve) => (process.stdout.write(text) ? resolve() : process.stdout.once('drain', () => resolve())));
}

async function startPositions(
  client: KafkaClient,
  topic: string,
  partitions: number[],
  opts: ConsumeFlags,
  committed?: Map<number, number>,
): Promise<Map<number, number>> {
  const missing = partitions.filter((p) => (committed?.get(p) ?? -1) < 0);
  const reset =
    missing.length === 0 ? new Map<number, number>() : await listOffsets(client, topic, opts.fromBeginning ? EARLIEST : LATEST, missing);
  return new Map(
    partitions.map((p) => [
      p,
      (committed?.get(p) ?? -1) >= 0 ? committed!.get(p)! : opts.offset !== undefined && !committed ? opts.offset : reset.get(p)!,
    ]),
  );
}

export function registerConsume(program: Command): void {
  clientOptions(program.command('consume').description('print records of a topic (Kafka protocol)').argument('<topic>'))
    .option('-g, --group <id>', 'consume as a member of this consumer group, committing offsets')
    .option('--from-beginning', 'start at the earliest offset when there is no committed offset (default: the end)')
    .option('-p, --partition <n>', 'only this partition (not with --group)', parseNonNegative)
    .option('-o, --offset <n>', 'start at this offset (with --partition)', parseNonNegative)
    .option('-f, --format <format>', 'value, kv, json, or a template such as "%p:%o %k=%v\\n"', 'value')
    .option('--key-separator <sep>', 'separator of the kv format', '\t')
    .option('-n, --max-messages <n>', 'stop after this many records', parseNonNegative)
    .option('--timeout-ms <ms>', 'stop when no record arrives for this long', parseNonNegative)
    .option('-e, --exit-at-end', 'stop once every partition has been read to its end')
    .action(async (topic: string, opts: ConsumeFlags) => {
      if (opts.group && opts.partition !== undefined) return usageError('consume', '--partition cannot be used with --group');
      if (opts.offset !== undefined && opts.partition === undefined) return usageError('consume', '--offset needs --partition');
      const format = formatter(opts.format, opts.keySeparator);
      let stop = false;
      const onSignal = () => (stop = true);
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      await withClient('consume', opts, async (client) => {
        const md = await client.topic(topic);
        const consumer = new Consumer(client, md, {
          onOutOfRange: async (p) => (await listOffsets(client, topic, opts.fromBeginning ? EARLIEST : LATEST, [p])).get(p)!,
        });
        const member = opts.group
          ? new GroupMember(client, opts.group, [topic], { partitionsOf: async (t) => (await client.topic(t)).partitions.length })
          : null;
        const assign = async () => {
          if (!member) {
            const parts = opts.partition !== undefined ? [opts.partition] : md.partitions.map((p) => p.partition);
            consumer.assign(await startPositions(client, topic, parts, opts));
            return;
          }
          const assigned = (await member.join()).get(topic) ?? [];
          consumer.assign(await startPositions(client, topic, assigned, opts, await member.committed(topic, assigned)));
        };
        const commit = async () => {
          if (member && consumer.positions.size > 0) await member.commit(topic, consumer.positions);
        };
        await assign();
        let printed = 0;
        let lastRecordAt = Date.now();
        try {
          while (!stop) {
            if (member?.rejoinNeeded) {
              await commit().catch(() => undefined);
              await assign();
            }
            if (consumer.positions.size === 0) {
              if (opts.exitAtEnd) break;
              await new Promise((r) => setTimeout(r, 200));
              continue;
            }
            const { records, caughtUp } = await consumer.poll(500);
            let out = '';
            let n = 0;
            for (const r of records) {
              if (opts.maxMessages !== undefined && printed >= opts.maxMessages) break;
              out += format(r);
              printed++;
              n++;
            }
            // Stopping mid-poll: rewind each partition to its first unprinted record, so only what was printed is committed.
            for (const r of records.slice(n).reverse()) consumer.positions.set(r.partition, r.offset);
            if (out) await write(out);
            if (records.length > 0) {
              lastRecordAt = Date.now();
              await commit();
            }
            if (opts.maxMessages !== undefined && printed >= opts.maxMessages) break;
            if (opts.exitAtEnd && caughtUp) break;
            if (opts.timeoutMs !== undefined && Date.now() - lastRecordAt >= opts.timeoutMs) break;
          }
          await commit();
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          await member?.leave();
        }
        process.stderr.write(`Processed a total of ${printed} messages\n`);
      });
    });
}
