// Shared pieces of the client verbs (topics, produce, consume, groups): the bootstrap option,
// running with a connected client and turning failures into one stderr line and exit code 1,
// repeatable key=value options, and the progress line shown on a terminal.

import { InvalidArgumentError, type Command } from 'commander';
import { KafkaClient } from '../client/client.js';

export interface ClientFlags {
  bootstrapServer: string;
  clientId?: string;
}

export const DEFAULT_BOOTSTRAP = 'localhost:9092';

/** -b/--bootstrap-server (default $KAFKALITE_BOOTSTRAP, else localhost:9092) and --client-id. */
export function clientOptions(cmd: Command): Command {
  return cmd
    .option(
      '-b, --bootstrap-server <host:port,...>',
      'brokers to connect to (env KAFKALITE_BOOTSTRAP)',
      process.env.KAFKALITE_BOOTSTRAP ?? DEFAULT_BOOTSTRAP,
    )
    .option('--client-id <id>', 'client id sent to the broker', 'kafkalite-cli');
}

/** Run `fn` with a connected client; errors become "kafkalite <verb>: message" and exit code 1. */
export async function withClient<T>(verb: string, flags: ClientFlags, fn: (client: KafkaClient) => Promise<T>): Promise<T | undefined> {
  let client: KafkaClient | null = null;
  try {
    client = await KafkaClient.connect({ bootstrap: flags.bootstrapServer, clientId: flags.clientId });
    return await fn(client);
  } catch (err) {
    process.stderr.write(`kafkalite ${verb}: ${(err as Error).message}\n`);
    process.exitCode = 1;
    return undefined;
  } finally {
    client?.close();
  }
}

/** A bad combination of options: one stderr line, exit code 2. */
export function usageError(verb: string, message: string): void {
  process.stderr.write(`kafkalite ${verb}: ${message}\n`);
  process.exitCode = 2;
}

export function collectKeyValue(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected key=value, got ${JSON.stringify(value)}`);
  return { ...previous, [value.slice(0, eq).trim()]: value.slice(eq + 1) };
}

export function collectList(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function parseInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`not an integer: ${value}`);
  return n;
}

export function parseNonNegative(value: string): number {
  const n = parseInteger(value);
  if (n < 0) throw new InvalidArgumentError(`must be 0 or more: ${value}`);
  return n;
}

/** Print rows as aligned columns (the Kafka tools' layout). */
export function columns(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) {
    r.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, c.length);
    });
  }
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 2)))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * A one-line progress display, redrawn in place at most every 200 ms, only when stdout is a
 * terminal (so pipes and files get clean output). done() clears it.
 */
export class Progress {
  private last = 0;
  private shown = false;
  readonly enabled: boolean;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {
    this.enabled = out.isTTY === true;
  }

  update(render: () => string, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.last < 200) return;
    this.last = now;
    const width = Math.max(20, (this.out.columns || 100) - 1);
    this.out.write(`\r${render().slice(0, width).padEnd(width)}`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.out.write(`\r${' '.repeat(Math.max(20, (this.out.columns || 100) - 1))}\r`);
    this.shown = false;
  }
}
