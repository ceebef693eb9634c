// The web console: static files in broker/console/ (plain HTML, CSS and JavaScript, no bundler;
// only format.ts, shared with the CLI, is TypeScript, compiled with the rest of the package),
// served from the installed package. The page talks to the REST API and the live-tail stream
// like any other client.
//
//   GET /                      broker/console/index.html
//   GET /console/<file>        the other files of broker/console/
//   GET /console/format.js     broker/console/format.ts compiled (shared with the CLI)

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

let root: string | null = null;

/** The package's root folder (holding package.json), from this file's place in src or dist. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'broker', 'console'))) {
      root = dir;
      return root;
    }
    dir = dirname(dir);
  }
  throw new Error('cannot find the kafkalite package root (broker/console/)');
}

let version: string | null = null;
export function packageVersion(): string {
  if (version === null) {
    try {
      version = String((JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0');
    } catch {
      version = '0.0.0';
    }
  }
  return version;
}

/** Modules the page imports that are written in TypeScript: served as compiled, from beside this module. */
const COMPILED = new Set(['format.js']);

export function registerConsole(app: FastifyInstance): void {
  const dir = join(packageRoot(), 'broker', 'console');
  // Beside this module in tsc's output; from the bundled CLI's chunks (bin/bundle.ts), under dist/.
  const beside = fileURLToPath(new URL('../console/', import.meta.url));
  const compiledDir = existsSync(join(beside, 'format.js')) ? beside : join(packageRoot(), 'dist', 'broker', 'console');
  const files = new Set([...readdirSync(dir).filter((f) => extname(f) in TYPES), ...COMPILED]);
  const send = (file: string) => ({
    body: readFileSync(join(COMPILED.has(file) ? compiledDir : dir, file)),
    type: TYPES[extname(file)]!,
  });

  app.get('/', { schema: { hide: true } }, async (_req, reply) => {
    const f = send('index.html');
    return reply.type(f.type).header('cache-control', 'no-cache').send(f.body);
  });
  app.get<{ Params: { file: string } }>('/console/:file', { schema: { hide: true } }, async (req, reply) => {
    if (!files.has(req.params.file)) return reply.status(404).send({ error: 'NOT_FOUND', message: `no console file ${req.params.file}` });
    const f = send(req.params.file);
    return reply.type(f.type).header('cache-control', 'no-cache').send(f.body);
  });
}
