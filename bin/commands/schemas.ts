// `kafkalite schemas list|get|register|check`: the Schema Registry over its REST API (Confluent's
// API, so it works against kafkalite's registry or Confluent's).
//
//   kafkalite schemas list                                     subjects, latest version, id, type
//   kafkalite schemas get orders-value [--version 2 | --id 7]  the schema text
//   kafkalite schemas register orders-value order.avsc [--type AVRO] [--reference name=subject:version]
//   kafkalite schemas check orders-value order.avsc [--version latest]   exit 1 when incompatible
//
// --registry (env KAFKALITE_SCHEMA_REGISTRY, default http://localhost:8081); a file '-' is stdin.

import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { collectList, columns } from './common.js';

interface RegistryFlags {
  registry: string;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

class RegistryCallError extends Error {}

async function call(flags: RegistryFlags, method: string, path: string, body?: unknown): Promise<unknown> {
  const url = `${flags.registry.replace(/\/+$/, '')}${path}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? { accept: CONTENT_TYPE } : { accept: CONTENT_TYPE, 'content-type': CONTENT_TYPE },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new RegistryCallError(`cannot reach the Schema Registry at ${flags.registry}: ${(err as Error).cause ?? (err as Error).message}`);
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  if (!res.ok) {
    const e = parsed as { error_code?: number; message?: string };
    throw new RegistryCallError(e?.message ? `${e.message} (error ${e.error_code})` : `HTTP ${res.status}: ${text}`);
  }
  return parsed;
}

async function run(verb: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof RegistryCallError)) throw err;
    process.stderr.write(`kafkalite schemas ${verb}: ${err.message}\n`);
    process.exitCode = 1;
  }
}

function registryOption(cmd: Command): Command {
  return cmd.option(
    '-r, --registry <url>',
    'Schema Registry URL (env KAFKALITE_SCHEMA_REGISTRY)',
    process.env.KAFKALITE_SCHEMA_REGISTRY ?? 'http://localhost:8081',
  );
}

function readSchema(file: string): string {
  return readFileSync(file === '-' ? 0 : file, 'utf8');
}

function parseType(v: string): string {
  const t = v.toUpperCase();
  if (!['AVRO', 'JSON', 'PROTOBUF'].includes(t)) throw new InvalidArgumentError(`expected AVRO, JSON or PROTOBUF, got ${v}`);
  return t;
}

/** The type from --type, else from the file name (.proto, .json), else AVRO. */
function typeOf(file: string, type?: string): string {
  if (type) return type;
  if (file.endsWith('.proto')) return 'PROTOBUF';
  if (file.endsWith('.json') && !file.endsWith('.avsc.json')) return 'JSON';
  return 'AVRO';
}

function parseReferences(refs: string[]): Array<{ name: string; subject: string; version: number }> {
  return refs.map((r) => {
    const m = /^([^=]+)=([^:]+):(\d+|latest)$/.exec(r);
    if (!m) throw new InvalidArgumentError(`expected name=subject:version, got ${r}`);
    return { name: m[1]!, subject: m[2]!, version: m[3] === 'latest' ? -1 : Number(m[3]) };
  });
}

function pretty(schema: string, type?: string): string {
  if (type === 'PROTOBUF') return schema;
  try {
    return JSON.stringify(JSON.parse(schema), null, 2);
  } catch {
    return schema;
  }
}

export function registerSchemas(program: Command): void {
  const schemas = program.command('schemas').description('list, show, register and check schemas in a Schema Registry (REST API)');

  registryOption(schemas.command('list').description('subjects with their latest version, schema id and type'))
    .option('--deleted', 'include soft-deleted subjects')
    .action(async (opts: RegistryFlags & { deleted?: boolean }) => {
      await run('list', async () => {
        const subjects = (await call(opts, 'GET', `/subjects${opts.deleted ? '?deleted=true' : ''}`)) as string[];
        const rows = [['SUBJECT', 'VERSIONS', 'LATEST', 'ID', 'TYPE']];
        for (const s of subjects) {
          const versions = (await call(
            opts,
            'GET',
            `/subjects/${encodeURIComponent(s)}/versions${opts.deleted ? '?deleted=true' : ''}`,
          )) as number[];
          const latest = (await call(
            opts,
            'GET',
            `/subjects/${encodeURIComponent(s)}/versions/latest${opts.deleted ? '?deleted=true' : ''}`,
          )) as {
            version: number;
            id: number;
            schemaType?: string;
          };
          rows.push([s, String(versions.length), String(latest.version), String(latest.id), latest.schemaType ?? 'AVRO']);
        }
        process.stdout.write(`${columns(rows)}\n`);
      });
    });

  registryOption(
    schemas.command('get').description("print a subject's schema (latest by default), or a schema by id").argument('[subject]'),
  )
    .option('-v, --version <version>', "version number or 'latest'", 'latest')
    .option('--id <id>', 'a schema id instead of a subject')
    .option('--json', 'print the whole registry answer as JSON')
    .action(async (subject: string | undefined, opts: RegistryFlags & { version: string; id?: string; json?: boolean }) => {
      await run('get', async () => {
        if (!subject && !opts.id) throw new RegistryCallError('name a subject or --id');
        const body = (
          opts.id
            ? await call(opts, 'GET', `/schemas/ids/${encodeURIComponent(opts.id)}`)
            : await call(opts, 'GET', `/subjects/${encodeURIComponent(subject!)}/versions/${encodeURIComponent(opts.version)}`)
        ) as { schema: string; schemaType?: string };
        process.stdout.write(opts.json ? `${JSON.stringify(body, null, 2)}\n` : `${pretty(body.schema, body.schemaType)}\n`);
      });
    });

  registryOption(
    schemas
      .command('register')
      .description('register a schema file under a subject; prints its id')
      .argument('<subject>')
      .argument('<file>'),
  )
    .option('-t, --type <type>', 'AVRO, JSON or PROTOBUF (default: from the file name, else AVRO)', parseType)
    .option('--reference <name=subject:version>', 'a schema reference (repeatable)', collectList, [])
    .action(async (subject: string, file: string, opts: RegistryFlags & { type?: string; reference: string[] }) => {
      await run('register', async () => {
        const res = (await call(opts, 'POST', `/subjects/${encodeURIComponent(subject)}/versions`, {
          schema: readSchema(file),
          schemaType: typeOf(file, opts.type),
          references: parseReferences(opts.reference),
        })) as { id: number; version?: number };
        process.stdout.write(`Registered ${subject}${res.version ? ` version ${res.version}` : ''} with schema id ${res.id}.\n`);
      });
    });

  registryOption(
    schemas
      .command('check')
      .description("check a schema file against a subject's compatibility level; exit code 1 when incompatible")
      .argument('<subject>')
      .argument('<file>'),
  )
    .option('-t, --type <type>', 'AVRO, JSON or PROTOBUF (default: from the file name, else AVRO)', parseType)
    .option('-v, --version <version>', "check against this version ('latest'), or 'all' for every version the level names", 'all')
    .option('--reference <name=subject:version>', 'a schema reference (repeatable)', collectList, [])
    .action(async (subject: string, file: string, opts: RegistryFlags & { type?: string; version: string; reference: string[] }) => {
      await run('check', async () => {
        const path = `/compatibility/subjects/${encodeURIComponent(subject)}/versions${opts.version === 'all' ? '' : `/${encodeURIComponent(opts.version)}`}?verbose=true`;
        const res = (await call(opts, 'POST', path, {
          schema: readSchema(file),
          schemaType: typeOf(file, opts.type),
          references: parseReferences(opts.reference),
        })) as { is_compatible: boolean; messages?: string[] };
        if (res.is_compatible) process.stdout.write(`Compatible with ${subject}.\n`);
        else {
          process.stdout.write(`Incompatible with ${subject}:\n${(res.messages ?? []).map((m) => `  ${m}\n`).join('')}`);
          process.exitCode = 1;
        }
      });
    });
}
