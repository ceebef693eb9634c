// `kafkalite groups list|describe|reset-offsets|delete`: consumer group administration over
// the Kafka protocol (like kafka-consumer-groups.sh), against kafkalite or any Kafka.
//
//   kafkalite groups list [--state] [--type]   (--type: classic, consumer, share or streams)
//   kafkalite groups describe billing [--members] [--json]   (share groups: start offsets and lag, or members)
//   kafkalite groups reset-offsets billing --topic orders --to-earliest [--execute]
//   kafkalite groups reset-offsets billing --topic orders:0,1 --shift-by -10 --execute
//   kafkalite groups delete billing [more ...]
//
// reset-offsets prints the plan and changes nothing unless --execute is given (as Kafka's
// tool); the group must have no active members.

import type { Command } from 'commander';
import { errorName } from '../../protocol/errors.js';
import {
  deleteGroups,
  describeGroup,
  listGroups,
  resetOffsets,
  type GroupDescription,
  type ListedGroup,
  type ResetSpec,
} from '../client/groups.js';
import { clientOptions, columns, parseInteger, parseNonNegative, usageError, withClient, type ClientFlags } from './common.js';

interface ResetFlags extends ClientFlags {
  topic: string;
  toEarliest?: boolean;
  toLatest?: boolean;
  toOffset?: number;
  toDatetime?: string;
  shiftBy?: number;
  execute?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

function resetSpec(opts: ResetFlags): ResetSpec | string {
  const given = [
    opts.toEarliest,
    opts.toLatest,
    opts.toOffset !== undefined,
    opts.toDatetime !== undefined,
    opts.shiftBy !== undefined,
  ].filter(Boolean).length;
  if (given !== 1) return 'give exactly one of --to-earliest, --to-latest, --to-offset, --to-datetime, --shift-by';
  if (opts.toEarliest) return { to: 'earliest' };
  if (opts.toLatest) return { to: 'latest' };
  if (opts.toOffset !== undefined) return { to: 'offset', offset: opts.toOffset };
  if (opts.shiftBy !== undefined) return { to: 'shift', by: opts.shiftBy };
  const ts = /^\d+$/.test(opts.toDatetime!) ? Number(opts.toDatetime) : Date.parse(opts.toDatetime!);
  if (Number.isNaN(ts))
    return `cannot read --to-datetime ${JSON.stringify(opts.toDatetime)} (ISO 8601 such as 2024-05-01T12:00:00Z, or epoch ms)`;
  return { to: 'datetime', timestamp: ts };
}

export function registerGroups(program: Command): void {
  const groups = program.command('groups').description('list, describe, reset offsets of and delete consumer groups (Kafka protocol)');

  clientOptions(groups.command('list').description('print group ids, one per line'))
    .option('--state', "also print each group's state")
    .option('--type', "also print each group's type (classic, consumer, share, streams)")
    .action(async (opts: ClientFlags & { state?: boolean; type?: boolean }) => {
      await withClient('groups list', opts, async (client) => {
        const list = await listGroups(client);
        if (list.length === 0) return;
        process.stdout.write(`${opts.state || opts.type ? columns(table(list, opts)) : list.map((g) => g.groupId).join('\n')}\n`);
      });
    });

  clientOptions(
    groups
      .command('describe')
      .description('committed offsets, log end offsets and lag of groups, or their members')
      .argument('<groups...>'),
  )
    .option('--members', 'print members and their assignments instead')
    .option('--json', 'print JSON')
    .action(async (ids: string[], opts: ClientFlags & { members?: boolean; json?: boolean }) => {
      await withClient('groups describe', opts, async (client) => {
        const all = [];
        for (const id of ids) all.push(await describeGroup(client, id));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
          return;
        }
        const blocks = all.map((g) => {
          if (g.protocolType === 'share' && !opts.members) return shareOffsetsBlock(g);
          if (g.protocolType === 'share') return shareBlock(g);
          if (opts.members) {
            if (g.members.length === 0) return `Consumer group '${g.groupId}' has no active members (state ${g.state}).`;
            return columns([
              ['GROUP', 'CONSUMER-ID', 'HOST', 'CLIENT-ID', 'ASSIGNMENT'],
              ...g.members.map((m) => [
                g.groupId,
                m.memberId,
                m.clientHost,
                m.clientId,
                m.assignment.map((a) => `${a.topic}(${a.partitions.join(',')})`).join(' ') || '-',
              ]),
            ]);
          }
          const head = g.members.length === 0 ? `Consumer group '${g.groupId}' has no active members (state ${g.state}).\n\n` : '';
          return (
            head +
            columns([
              ['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID'],
              ...g.offsets.map((o) => [
                g.groupId,
                o.topic,
                String(o.partition),
                o.committed === null ? '-' : String(o.committed),
                String(o.logEnd),
                o.lag === null ? '-' : String(o.lag),
                o.memberId ?? '-',
                o.host ?? '-',
                o.clientId ?? '-',
              ]),
            ])
          );
        });
        process.stdout.write(`${blocks.join('\n\n')}\n`);
      });
    });

  clientOptions(
    groups
      .command('reset-offsets')
      .description("move a group's committed offsets (prints the plan; --execute applies it)")
      .argument('<group>'),
  )
    .requiredOption('-t, --topic <topic[:partitions]>', 'topic, optionally with partitions: orders or orders:0,2')
    .option('--to-earliest', 'to the log start')
    .option('--to-latest', 'to the log end')
    .option('--to-offset <offset>', 'to this offset (clamped to the log)', parseNonNegative)
    .option('--to-datetime <time>', 'to the first record at or after this time (ISO 8601 or epoch ms)')
    .option('--shift-by <n>', 'move by n (negative: back)', parseInteger)
    .option('--execute', 'apply the new offsets')
    .option('--dry-run', 'only print the plan (the default)')
    .option('--json', 'print JSON')
    .action(async (group: string, opts: ResetFlags) => {
      const spec = resetSpec(opts);
      if (typeof spec === 'string') return usageError('groups reset-offsets', spec);
      const [topic, list] = opts.topic.split(':') as [string, string | undefined];
      const partitions = list ? list.split(',').map((p) => Number(p)) : null;
      if (partitions?.some((p) => !Number.isInteger(p) || p < 0))
        return usageError('groups reset-offsets', `bad partitions in --topic ${opts.topic}`);
      const execute = opts.execute === true && opts.dryRun !== true;
      await withClient('groups reset-offsets', opts, async (client) => {
        const plan = await resetOffsets(client, group, topic, partitions, spec, execute);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ group, executed: execute, offsets: plan }, null, 2)}\n`);
          return;
        }
        const rows = plan.map((r) => [group, r.topic, String(r.partition), r.current === null ? '-' : String(r.current), String(r.target)]);
        process.stdout.write(`${columns([['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'NEW-OFFSET'], ...rows])}\n`);
        if (!execute) process.stdout.write('(dry run: nothing changed; add --execute to apply)\n');
      });
    });

  clientOptions(
    groups.command('delete').description('delete consumer groups (they must have no active members)').argument('<groups...>'),
  ).action(async (ids: string[], opts: ClientFlags) => {
    await withClient('groups delete', opts, async (client) => {
      const results = await deleteGroups(client, ids);
      for (const r of results) if (r.errorCode === 0) process.stdout.write(`Deleted group ${r.groupId}.\n`);
      const failed = results.filter((r) => r.errorCode !== 0);
      if (failed.length > 0) throw new Error(failed.map((r) => `${r.groupId}: ${errorName(r.errorCode)}`).join('; '));
    });
  });
}

/**
 * A share group's share-partitions, as kafka-share-groups --describe prints them: the start offset (records before it are
 * all acknowledged or archived) and the lag. Records in flight (acquired, not yet acknowledged) are the broker's state,
 * on kafkalite's HTTP API, console and /metrics.
 */
function shareOffsetsBlock(g: GroupDescription): string {
  const head = g.members.length === 0 ? `Share group '${g.groupId}' has no active members (state ${g.state}).\n\n` : '';
  if (g.offsets.length === 0) return `${head}Share group '${g.groupId}' has no share-partitions yet.`;
  return (
    head +
    columns([
      ['GROUP', 'TOPIC', 'PARTITION', 'START-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID'],
      ...g.offsets.map((o) => [
        g.groupId,
        o.topic,
        String(o.partition),
        o.committed === null ? '-' : String(o.committed),
        o.logEnd >= 0 ? String(o.logEnd) : '-',
        o.lag === null ? '-' : String(o.lag),
        o.memberId ?? '-',
      ]),
    ])
  );
}

/** A share group: its members and their assignments. */
function shareBlock(g: GroupDescription): string {
  if (g.members.length === 0) return `Share group '${g.groupId}' has no active members (state ${g.state}).`;
  return columns([
    ['GROUP', 'CONSUMER-ID', 'HOST', 'CLIENT-ID', 'ASSIGNMENT'],
    ...g.members.map((m) => [
      g.groupId,
      m.memberId,
      m.clientHost,
      m.clientId,
      m.assignment.map((a) => `${a.topic}(${a.partitions.join(',')})`).join(' ') || '-',
    ]),
  ]);
}

function table(list: ListedGroup[], opts: { state?: boolean; type?: boolean }): string[][] {
  const head = ['GROUP', ...(opts.type ? ['TYPE'] : []), ...(opts.state ? ['STATE'] : [])];
  return [head, ...list.map((g) => [g.groupId, ...(opts.type ? [g.type || g.protocolType || '-'] : []), ...(opts.state ? [g.state] : [])])];
}
