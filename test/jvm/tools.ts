// Apache Kafka 4.4's command-line tools, run as the main classes their `bin/kafka-*.sh` scripts
// start (Maven artifacts ship no scripts). Every class below is in kafka-tools-4.4.0.jar; in
// 4.4 ConfigCommand and DumpLogSegments live in org.apache.kafka.tools too (the scripts of
// older releases named kafka.admin.ConfigCommand and kafka.tools.DumpLogSegments).
//
//   await kafkaTool('kafka-topics', ['--bootstrap-server', b, '--list']);        // { code, stdout, stderr }
//   await kafkaToolOk('kafka-get-offsets', ['--bootstrap-server', b, '--topic', 't']);
//   const c = spawnKafkaTool('kafka-console-consumer', [...]); await c.waitFor(/x/); await c.stop();

import { spawn } from 'node:child_process';
import { KAFKA_CLASSPATH, LOG4J_CONFIG, cdsFlags, java } from './kafka.js';
import type { RunResult } from '../integration/helpers.js';

/** Script name (as in Kafka's bin/) → the main class it runs. */
export const KAFKA_TOOLS = {
  'kafka-topics': 'org.apache.kafka.tools.TopicCommand',
  'kafka-console-producer': 'org.apache.kafka.tools.ConsoleProducer',
  'kafka-console-consumer': 'org.apache.kafka.tools.consumer.ConsoleConsumer',
  'kafka-consumer-groups': 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
  'kafka-streams-groups': 'org.apache.kafka.tools.streams.StreamsGroupCommand',
  'kafka-share-groups': 'org.apache.kafka.tools.consumer.group.ShareGroupCommand',
  'kafka-configs': 'org.apache.kafka.tools.ConfigCommand',
  'kafka-client-metrics': 'org.apache.kafka.tools.ClientMetricsCommand',
  'kafka-get-offsets': 'org.apache.kafka.tools.GetOffsetShell',
  'kafka-delete-records': 'org.apache.kafka.tools.DeleteRecordsCommand',
  'kafka-transactions': 'org.apache.kafka.tools.TransactionsCommand',
  'kafka-verifiable-producer': 'org.apache.kafka.tools.VerifiableProducer',
  'kafka-verifiable-consumer': 'org.apache.kafka.tools.VerifiableConsumer',
  'kafka-producer-perf-test': 'org.apache.kafka.tools.ProducerPerformance',
  'kafka-consumer-perf-test': 'org.apache.kafka.tools.ConsumerPerformance',
  'kafka-dump-log': 'org.apache.kafka.tools.DumpLogSegments',
  'kafka-features': 'org.apache.kafka.tools.FeatureCommand',
  'kafka-metadata-quorum': 'org.apache.kafka.tools.MetadataQuorumCommand',
  'kafka-reassign-partitions': 'org.apache.kafka.tools.reassign.ReassignPartitionsCommand',
  'kafka-log-dirs': 'org.apache.kafka.tools.LogDirsCommand',
  'kafka-cluster': 'org.apache.kafka.tools.ClusterTool',
  'kafka-acls': 'org.apache.kafka.tools.AclCommand',
} as const;

export type KafkaToolName = keyof typeof KAFKA_TOOLS;

/** Runs one of Kafka's tools to completion: `java -cp <Kafka 4.4 jars> <its class> ...args`. */
export function kafkaTool(tool: KafkaToolName, args: string[], opts: Parameters<typeof java>[1] = {}): Promise<RunResult> {
  return java([KAFKA_TOOLS[tool], ...args], opts);
}

/** Like `kafkaTool`, but rejects when the tool exits non-zero, with its output in the error. */
export async function kafkaToolOk(tool: KafkaToolName, args: string[], opts: Parameters<typeof java>[1] = {}): Promise<RunResult> {
  const r = await kafkaTool(tool, args, opts);
  if (r.code !== 0) throw new Error(`${tool} ${args.join(' ')} exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
}

/** A tool left running in the background (a console consumer holding a group membership). */
export interface RunningTool {
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout matches (a pattern, or a test of the whole text); rejects when the tool exits first or after `timeoutMs`. */
  waitFor(pattern: RegExp | ((stdout: string) => boolean), timeoutMs?: number): Promise<void>;
  /** SIGTERM (the tools close their clients on it: a consumer leaves its group), then the exit code. */
  stop(): Promise<number | null>;
}

export function spawnKafkaTool(tool: KafkaToolName, args: string[]): RunningTool {
  const child = spawn(
    'java',
    [
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
      ...cdsFlags(),
      '-cp',
      KAFKA_CLASSPATH,
      KAFKA_TOOLS[tool],
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    stdout: () => out,
    stderr: () => err,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const matches = typeof pattern === 'function' ? pattern : (text: string) => pattern.test(text);
        const check = () => {
          if (!matches(out)) return false;
          cleanup();
          resolve();
          return true;
        };
        const onExit = () => {
          cleanup();
          reject(new Error(`${tool} exited before printing ${pattern}\nstdout:\n${out}\nstderr:\n${err}`));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${tool} did not print ${pattern} within ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          child.stdout.off('data', check);
          child.off('exit', onExit);
        };
        if (check()) return;
        if (child.exitCode !== null) return onExit();
        child.stdout.on('data', check);
        child.once('exit', onExit);
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        const code = await exited;
        clearTimeout(timer);
        return code;
      }
      return exited;
    },
  };
}
