// The CLI's bundled entry (the lean start, issue 15): run after tsc, `node dist/bin/bundle.js`
// bundles dist/bin/kafkalite.js with esbuild into dist/cli/kafkalite.js, whose shared code sits in
// dist/cli/ as chunks, one per lazily imported part (a handler, a client verb, the HTTP server),
// rewrites them as CommonJS and makes dist/bin/kafkalite.js run them with V8's code cache
// (bin/cli-loader.ts: a start with the cache compiles almost nothing).
// `kafkalite start` then reads about 100 files instead of 300, with no module resolution per
// import: about 40% less CPU to an open port and 7 MiB less RSS (README, "Start-up").
//
// The npm packages the start path loads (START_PACKAGES, with what they require) are bundled in
// too: loaded from node_modules they are about 55 CommonJS files, each found, read and compiled
// on its own (pino alone cost 40 ms of CPU that way, 18 ms bundled). Every other package stays
// external, loaded from node_modules when its lazy chunk is (fastify, avsc, the clients...).
// Each output file opens with a `require` made by createRequire, for the bundled CommonJS
// code's own require() of node built-ins (and of pino-pretty, on a TTY: broker/logger.ts).
// Code that finds files from
// import.meta.url keeps working because dist/bin and dist/cli are both two levels under the
// package root (config/index.ts: defaultPropertiesPath; broker/http/console.ts: packageRoot).
// Without esbuild installed the tsc output stays as it is: a working, slower CLI.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(dist, 'bin', 'kafkalite.js');
/** Marks the bundle (esbuild keeps the entry's '#!/usr/bin/env node' line above it). */
const BANNER = [
  '// Bundled by dist/bin/bundle.js from the tsc output of bin/kafkalite.ts (chunks in dist/cli/).',
  "import { createRequire as __kafkaliteCreateRequire } from 'node:module';",
  'const require = __kafkaliteCreateRequire(import.meta.url);',
].join('\n');
/**
 * Bundled rather than external: what `kafkalite start` imports before its port opens (the CLI's
 * parser, the logger, the data directory lock, CRC-32C). Their own dependencies come along.
 * pino's transports (worker threads that load files by path) would not survive bundling;
 * kafkalite never uses them (broker/logger.ts writes to a stream).
 */
const START_PACKAGES = new Set(['commander', 'pino', 'proper-lockfile', 'crc-32']);

/** Keeps every npm package external except START_PACKAGES and what those require. */
const startPackages: import('esbuild').Plugin = {
  name: 'kafkalite-start-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      if (args.path === 'thread-stream') return { path: args.path, namespace: 'kafkalite-stub' };
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0]!;
      if (START_PACKAGES.has(name) || args.importer.includes('/node_modules/')) return undefined;
      return { path: args.path, external: true };
    });
    // pino.transport()'s worker (thread-stream, 18 KB read and compiled at every start) in place
    // of which the bundle has a class that refuses: kafkalite never calls pino.transport().
    build.onLoad({ filter: /^thread-stream$/, namespace: 'kafkalite-stub' }, () => ({
      contents:
        "module.exports = class ThreadStream { constructor() { throw new Error('pino transports are not bundled in the kafkalite CLI'); } };",
      loader: 'js',
    }));
  },
};

/**
 * dist/bin/kafkalite.js once bundled: it runs dist/cli/kafkalite.js through the code cache, named
 * by the bundle's hash (V8 checks a cached entry against its source's length only, so a cache
 * directory shared by two builds must not mix their entries).
 */
const loader = (bundleHash: string) =>
  [
    '#!/usr/bin/env node',
    '// Bundled by dist/bin/bundle.js: runs the CommonJS bundle of bin/kafkalite.ts in dist/cli/ with',
    "// V8's code cache (bin/cli-loader.ts).",
    "import { runCli } from './cli-loader.js';",
    `runCli('${bundleHash}');`,
    '',
  ].join('\n');

/**
 * Rewrites one ES module output of the build as CommonJS in place: the banner goes (CommonJS has
 * its own require), import.meta.url becomes the file's URL, a dynamic import of another output
 * becomes a require() of it (one instance of each module, loaded by bin/cli-loader.ts), and the
 * code stays strict as ES modules are. Its source map follows it.
 */
async function toCommonJs(build: typeof import('esbuild'), file: string): Promise<void> {
  // The banner goes (CommonJS has its own require), and the entry's '#!' line (not valid inside
  // the loader's function wrapper): blank lines in their place keep the file's source map true,
  // which esbuild then follows to the TypeScript sources.
  const code = readFileSync(file, 'utf8').replace(BANNER, BANNER.replace(/[^\n]/g, '')).replace(/^#!.*/, '');
  writeFileSync(file, code);
  const url = code.includes('import.meta.url') ? 'const __kafkaliteUrl=require("node:url").pathToFileURL(__filename).href;' : '';
  const out = await build.build({
    entryPoints: [file],
    bundle: false,
    allowOverwrite: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    define: { 'import.meta.url': '__kafkaliteUrl' },
    banner: { js: `"use strict";${url}` },
    sourcemap: 'external',
    outfile: file,
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  });
  for (const f of out.outputFiles) {
    // Same length as what it replaces would keep the source map exact; a dynamic import sits on a
    // line of its own in the minified output rarely enough that columns after it may shift.
    const text = f.path.endsWith('.js')
      ? f.text.replace(/\bimport\((["'])(\.\/[^"']+\.js)\1\)/g, 'Promise.resolve().then(()=>require("$2"))')
      : f.text;
    writeFileSync(f.path, text);
  }
}

if (readFileSync(entry, 'utf8').includes('Bundled by dist/bin/bundle.js')) {
  console.error('bundle: dist/bin/kafkalite.js is already bundled; run tsc first');
  process.exit(1);
}

let esbuild: typeof import('esbuild');
try {
  esbuild = await import('esbuild');
} catch {
  console.warn('bundle: esbuild is not installed; dist/bin/kafkalite.js stays unbundled');
  process.exit(0);
}

rmSync(join(dist, 'cli'), { recursive: true, force: true });
const result = await esbuild.build({
  entryPoints: [entry],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [startPackages],
  outdir: dist,
  entryNames: 'cli/[name]',
  chunkNames: 'cli/[name]-[hash]',
  allowOverwrite: true,
  sourcemap: true,
  // Whitespace and syntax only (names stay): about 35% fewer bytes to read and hold, 1.7 MiB less idle RSS.
  minifyWhitespace: true,
  minifySyntax: true,
  banner: { js: BANNER },
  logLevel: 'warning',
  metafile: true,
});
const outputs = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
if (!existsSync(join(dist, 'cli', 'kafkalite.js'))) throw new Error('bundle: no dist/cli/kafkalite.js written');
// Every output becomes CommonJS, for V8's code cache (bin/cli-loader.ts): the same code, each
// `import` a require() of the same file, import.meta.url that file's URL. The chunks' graph,
// their names and the metafile stay those of the ES module build.
const hash = createHash('sha256');
for (const out of outputs.sort()) {
  await toCommonJs(esbuild, join(dist, '..', out));
  hash.update(`${out}\n`).update(readFileSync(join(dist, '..', out)));
}
writeFileSync(join(dist, 'cli', 'package.json'), '{ "type": "commonjs" }\n');
writeFileSync(entry, loader(hash.digest('hex').slice(0, 16)));
// What each chunk holds, for measuring the start (`npx esbuild --analyze` reads it, or test/bench/start-modules.ts).
writeFileSync(join(dist, 'cli', 'metafile.json'), JSON.stringify(result.metafile));
console.log(`bundle: dist/bin/kafkalite.js runs dist/cli/kafkalite.js and its ${outputs.length - 1} chunks`);
