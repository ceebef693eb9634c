// `kafkalite mirror`: copy topics (partitions, configs), records and consumer groups' positions
// from one Kafka-protocol cluster to another. The flags only; the engine is bin/mirror/.
//
//   kafkalite mirror --to kafka-1:9092                         everything from localhost:9092
//   kafkalite mirror --to kafka-1:9092 --topics 'orders|payments' --groups 'billing.*' --follow
//   kafkalite mirror --from prod:9092 --to localhost:9092 --topics orders --max-records 1000
//
// Exit code 0 when everything selected was copied and every group translated, 1 otherwise
// (the report says what was not), 2 for bad flags.

import type { Command } from 'commander';
import { runMirror, formatReport } from '../mirror/index.js';
import { DEFAULT_BOOTSTRAP, parseNonNegative, usageError } from './common.js';

const CODECS: Record<string, number> = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 };

interface MirrorFlags {
  from: string;
  to?: string;
  topics?: string;
  groups?: string;
  follow?: boolean;
  maxRecords?: number;
  compression: string;
  clientId: string;
}

function validRegex(flag: string, value: string | undefined): string | null {
  if (value === undefined) return null;
  try {
    new RegExp(value);
    return null;
  } catch (err) {
    return `${flag} is not a regular expression: ${(err as Error).message}`;
  }
}

export function registerMirror(program: Command): void {
  program
    .command('mirror')
    .description('copy topics, records and consumer group offsets to another Kafka cluster (Kafka protocol)')
    .option('--from <host:port,...>', 'source cluster (env KAFKALITE_BOOTSTRAP)', process.env.KAFKALITE_BOOTSTRAP ?? DEFAULT_BOOTSTRAP)
    .option('--to <host:port,...>', 'target cluster (required)')
    .option('--topics <regex>', 'topics to copy, whole name (default: all but internal ones)')
    .option('--groups <regex>', 'consumer groups whose offsets are translated, whole name (default: all)')
    .option('--follow', 'keep copying until interrupted (SIGINT/SIGTERM); a restart resumes')
    .option(
      '--max-records <n>',
      'copy only the newest n records of each partition (no groups, nothing stored on the source)',
      parseNonNegative,
    )
    .option('-z, --compression <codec>', 'compression of the batches written to the target: none, gzip, snappy, lz4 or zstd', 'none')
    .option('--client-id <id>', 'client id sent to both clusters', 'kafkalite-mirror')
    .action(async (opts: MirrorFlags) => {
      if (!opts.to) return usageError('mirror', '--to <host:port> is required');
      if (!(opts.compression in CODECS))
        return usageError('mirror', `unknown compression ${opts.compression} (none, gzip, snappy, lz4, zstd)`);
      if (opts.follow && opts.maxRecords !== undefined)
        return usageError('mirror', '--max-records takes a sample once; it cannot be combined with --follow');
      if (opts.groups !== undefined && opts.maxRecords !== undefined)
        return usageError('mirror', '--max-records copies a sample and moves no groups; drop --groups');
      const bad = validRegex('--topics', opts.topics) ?? validRegex('--groups', opts.groups);
      if (bad) return usageError('mirror', bad);
      const stop = new AbortController();
      const onSignal = (signal: string) => {
        if (stop.signal.aborted) process.exit(130);
        process.stderr.write(`mirror: ${signal}, finishing (saving the position, translating groups)...\n`);
        stop.abort();
      };
      const onInt = () => onSignal('SIGINT');
      const onTerm = () => onSignal('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      try {
        const report = await runMirror({
          from: opts.from,
          to: opts.to,
          topics: opts.topics,
          groups: opts.groups,
          follow: opts.follow,
          maxRecords: opts.maxRecords,
          compression: CODECS[opts.compression],
          clientId: opts.clientId,
          signal: stop.signal,
          progress: opts.follow ? (line) => process.stderr.write(`${line}\n`) : undefined,
          progressIntervalMs: opts.follow ? 5000 : undefined,
        });
        process.stdout.write(formatReport(report));
        if (report.errors.length > 0) process.exitCode = 1;
      } catch (err) {
        process.stderr.write(`kafkalite mirror: ${(err as Error).message}\n`);
        process.exitCode = 1;
      } finally {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
      }
    });
}
