// `kafkalite topics list|create|describe|delete|alter-config`: topic administration over the
// Kafka protocol (like kafka-topics.sh and kafka-configs.sh), against kafkalite or any Kafka.
//
//   kafkalite topics list [--internal]
//   kafkalite topics create orders --partitions 3 --config retention.ms=3600000 [--if-not-exists]
//   kafkalite topics describe [orders ...] [--json]
//   kafkalite topics delete orders [more ...]
//   kafkalite topics alter-config orders --set retention.ms=60000 --delete cleanup.policy

import type { Command } from 'commander';
import { alterConfigs, createTopic, deleteTopics, describeConfigs, RESOURCE_TOPIC, SOURCE_NAMES } from '../client/admin.js';
import { clientOptions, collectKeyValue, collectList, parseInteger, withClient, type ClientFlags } from './common.js';
import { errorName } from '../../protocol/errors.js';

export function registerTopics(program: Command): void {
  const topics = program.command('topics').description('list, create, describe, delete topics and change their configs (Kafka protocol)');

  clientOptions(topics.command('list').description('print topic names, one per line'))
    .option('--internal', 'include internal topics (__consumer_offsets)')
    .action(async (opts: ClientFlags & { internal?: boolean }) => {
      await withClient('topics list', opts, async (client) => {
        const md = await client.metadata(null);
        const names = md.topics
          .filter((t) => opts.internal || !t.internal)
          .map((t) => t.name)
          .sort();
        if (names.length > 0) process.stdout.write(`${names.join('\n')}\n`);
      });
    });

  clientOptions(topics.command('create').description('create a topic').argument('<topic>'))
    .option('-p, --partitions <n>', "partition count (default: the broker's num.partitions)", parseInteger)
    .option('-r, --replication-factor <n>', "replication factor (default: the broker's)", parseInteger)
    .option('-c, --config <key=value>', 'topic config (repeatable)', collectKeyValue, {})
    .option('--if-not-exists', 'succeed when the topic already exists')
    .action(
      async (
        topic: string,
        opts: ClientFlags & { partitions?: number; replicationFactor?: number; config: Record<string, string>; ifNotExists?: boolean },
      ) => {
        await withClient('topics create', opts, async (client) => {
          const res = await createTopic(client, topic, {
            partitions: opts.partitions,
            replicationFactor: opts.replicationFactor,
            configs: opts.config,
            ifNotExists: opts.ifNotExists,
          });
          process.stdout.write(res.created ? `Created topic ${topic}.\n` : `Topic ${topic} already exists.\n`);
        });
      },
    );

  clientOptions(
    topics.command('describe').description('partitions, leaders and config overrides of topics (default: all)').argument('[topics...]'),
  )
    .option('--json', 'print JSON')
    .action(async (names: string[], opts: ClientFlags & { json?: boolean }) => {
      await withClient('topics describe', opts, async (client) => {
        const md = await client.metadata(names.length > 0 ? names : null);
        const out: unknown[] = [];
        const lines: string[] = [];
        for (const t of md.topics.sort((a, b) => (a.name < b.name ? -1 : 1))) {
          if (t.errorCode !== 0) throw new Error(`${t.name}: ${errorName(t.errorCode)}`);
          if (names.length === 0 && t.internal) continue;
          const overrides = (await describeConfigs(client, RESOURCE_TOPIC, t.name)).filter((c) => c.source === 1);
          const rf = t.partitions[0]?.replicas.length ?? 0;
          out.push({
            name: t.name,
            id: t.id,
            internal: t.internal,
            partitions: t.partitions,
            replicationFactor: rf,
            configs: Object.fromEntries(overrides.map((c) => [c.name, c.value])),
          });
          const configs = overrides.map((c) => `${c.name}=${c.value}`).join(',');
          lines.push(
            `Topic: ${t.name}\tTopicId: ${t.id}\tPartitionCount: ${t.partitions.length}\tReplicationFactor: ${rf}\tConfigs: ${configs}`,
          );
          for (const p of t.partitions)
            lines.push(
              `\tTopic: ${t.name}\tPartition: ${p.partition}\tLeader: ${p.leader}\tReplicas: ${p.replicas.join(',')}\tIsr: ${p.isr.join(',')}`,
            );
        }
        process.stdout.write(opts.json ? `${JSON.stringify(out, null, 2)}\n` : lines.length > 0 ? `${lines.join('\n')}\n` : '');
      });
    });

  clientOptions(topics.command('delete').description('delete topics').argument('<topics...>')).action(
    async (names: string[], opts: ClientFlags) => {
      await withClient('topics delete', opts, async (client) => {
        const results = await deleteTopics(client, names);
        const failed = results.filter((r) => r.errorCode !== 0);
        for (const r of results) if (r.errorCode === 0) process.stdout.write(`Deleted topic ${r.name}.\n`);
        if (failed.length > 0)
          throw new Error(failed.map((r) => `${r.name}: ${errorName(r.errorCode)}${r.message ? ` (${r.message})` : ''}`).join('; '));
      });
    },
  );

  clientOptions(topics.command('alter-config').description("set or remove a topic's config overrides, then print them").argument('<topic>'))
    .option('-s, --set <key=value>', 'set a config (repeatable)', collectKeyValue, {})
    .option('-d, --delete <key>', 'remove an override (repeatable)', collectList, [])
    .action(async (topic: string, opts: ClientFlags & { set: Record<string, string>; delete: string[] }) => {
      await withClient('topics alter-config', opts, async (client) => {
        if (Object.keys(opts.set).length === 0 && opts.delete.length === 0)
          throw new Error('nothing to change: give --set key=value or --delete key');
        await alterConfigs(client, RESOURCE_TOPIC, topic, opts.set, opts.delete);
        const configs = await describeConfigs(client, RESOURCE_TOPIC, topic);
        process.stdout.write(`Altered configs of ${topic}. Overrides now:\n`);
        for (const c of configs.filter((x) => x.source === 1))
          process.stdout.write(`  ${c.name}=${c.sensitive ? '(sensitive)' : c.value} (${SOURCE_NAMES[c.source]})\n`);
      });
    });
}
