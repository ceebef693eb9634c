// Which topics a mirror copies and how they look on the target: the source's topics matching
// --topics (internal ones, `__`-prefixed ones and the mirror's own state left out), their
// partition counts and their non-default configs (DescribeConfigs entries whose source is
// DYNAMIC_TOPIC_CONFIG, what `kafka-configs.sh --describe` lists as set on the topic). Missing
// topics are created on the target with both; an existing one with fewer partitions than the
// source is refused, since records would have nowhere to go (MirrorMaker 2 grows them instead,
// which a command run against someone's cluster should not do silently).

import { ErrorCode, errorName } from '../../protocol/errors.js';
import { createTopic, describeConfigs, LATEST, listOffsets, RESOURCE_TOPIC } from '../client/admin.js';
import { KafkaError, type KafkaClient, type TopicMetadata } from '../client/client.js';
import { MIRROR_PREFIX } from './state.js';

export interface PlannedTopic {
  name: string;
  partitions: number;
  /** The source's non-default configs. */
  configs: Record<string, string>;
  /** Set once the topic exists on the target with enough partitions. */
  target: TopicMetadata | null;
  created: boolean;
  /** Why the topic is not copied. */
  error: string | null;
  /** Configs that differ on an existing target topic (reported, not changed). */
  differences: string[];
}

/** A --topics / --groups pattern: the whole name must match, as in kafka-topics.sh --include. */
export function namePattern(regex: string | undefined): (name: string) => boolean {
  if (regex === undefined) return () => true;
  const re = new RegExp(`^(?:${regex})$`);
  return (name) => re.test(name);
}

export function isMirrorable(topic: TopicMetadata): boolean {
  return !topic.internal && !topic.name.startsWith('__') && !topic.name.startsWith(MIRROR_PREFIX);
}

const RETRIABLE: ReadonlySet<number> = new Set([
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.REPLICA_NOT_AVAILABLE,
]);

/**
 * `fn` again while it fails with an error a just-created topic gives for a moment (a KRaft
 * broker answers NOT_LEADER_OR_FOLLOWER until it has loaded the new partition's leadership).
 */
export async function whileSettling<T>(fn: () => Promise<T>, attempts = 100): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof KafkaError) || !RETRIABLE.has(err.errorCode) || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Metadata of a topic once every partition has a leader that answers ListOffsets. */
async function waitForLeaders(client: KafkaClient, name: string): Promise<TopicMetadata> {
  for (let attempt = 0; ; attempt++) {
    const md = await client.metadata([name]);
    const t = md.topics.find((x) => x.name === name);
    if (t && t.errorCode === ErrorCode.NONE && t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)) {
      await whileSettling(() => listOffsets(client, name, LATEST));
      return client.topic(name);
    }
    if (attempt >= 100) throw new Error(`topic ${name} has no leader on the target after creation`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function planTopics(
  source: KafkaClient,
  target: KafkaClient,
  opts: { topics?: string; dryRun?: boolean },
): Promise<PlannedTopic[]> {
  const wanted = namePattern(opts.topics);
  const md = await source.metadata(null);
  const sourceTopics = md.topics
    .filter((t) => t.errorCode === ErrorCode.NONE && isMirrorable(t) && wanted(t.name))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const planned: PlannedTopic[] = [];
  for (const t of sourceTopics) {
    const configs: Record<string, string> = {};
    for (const c of await describeConfigs(source, RESOURCE_TOPIC, t.name)) {
      if (c.source === 1 && c.value !== null && !c.sensitive) configs[c.name] = c.value;
    }
    planned.push({
      name: t.name,
      partitions: t.partitions.length,
      configs,
      target: null,
      created: false,
      error: null,
      differences: [],
    });
  }
  if (planned.length === 0) return planned;
  const existing = await target.metadata(planned.map((p) => p.name));
  for (const p of planned) {
    const there = existing.topics.find((t) => t.name === p.name);
    try {
      if (!there || there.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
        if (opts.dryRun) continue;
        await createTopic(target, p.name, { partitions: p.partitions, configs: p.configs });
        p.created = true;
        p.target = await waitForLeaders(target, p.name);
        continue;
      }
      if (there.errorCode !== ErrorCode.NONE) {
        p.error = `the target answers ${errorName(there.errorCode)} for ${p.name}`;
        continue;
      }
      if (there.partitions.length < p.partitions) {
        p.error =
          `the target's ${p.name} has ${there.partitions.length} partition(s), the source's ${p.partitions}: ` +
          `records of partitions ${there.partitions.length}-${p.partitions - 1} would have nowhere to go. ` +
          `Add partitions on the target (kafka-topics.sh --alter --topic ${p.name} --partitions ${p.partitions}) and run the mirror again`;
        continue;
      }
      const targetConfigs = new Map((await describeConfigs(target, RESOURCE_TOPIC, p.name)).map((c) => [c.name, c.value]));
      for (const [k, v] of Object.entries(p.configs)) {
        if (targetConfigs.get(k) !== v) p.differences.push(`${k}=${v} on the source, ${targetConfigs.get(k) ?? 'unset'} on the target`);
      }
      p.target = await waitForLeaders(target, p.name);
    } catch (err) {
      p.error = `cannot create ${p.name} on the target: ${(err as Error).message}`;
    }
  }
  return planned;
}
