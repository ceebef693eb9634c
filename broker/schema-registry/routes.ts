// Confluent's Schema Registry REST API over a SchemaStore (the paths and bodies of Confluent's
// SubjectsResource, SubjectVersionsResource, SchemasResource, ConfigResource, ModeResource and
// CompatibilityResource). Errors are RegistryErrors, sent by server.ts as `{error_code, message}`.
//
//   GET    /subjects[?deleted&deletedOnly&subjectPrefix]      GET /schemas/types
//   POST   /subjects/{s}[?deleted]                            look a schema up under a subject
//   DELETE /subjects/{s}[?permanent]                          GET /schemas/ids/{id}[/schema|/versions|/subjects]
//   GET    /subjects/{s}/versions[?deleted]                   GET|PUT|DELETE /config[/{s}][?defaultToGlobal]
//   POST   /subjects/{s}/versions                             GET|PUT|DELETE /mode[/{s}][?defaultToGlobal&force]
//   GET    /subjects/{s}/versions/{v}[/schema|/referencedby]  POST /compatibility/subjects/{s}/versions[/{v}][?verbose]
//   DELETE /subjects/{s}/versions/{v}[?permanent]

import type { FastifyInstance } from 'fastify';
import { isCompatibilityLevel } from './compatibility.js';
import { errors } from './errors.js';
import { MODES, type Mode, type RegisterRequest, type SchemaStore, type SchemaVersion } from './store.js';
import { SCHEMA_TYPES, type SchemaType } from './types.js';

type Q = Record<string, string | undefined>;
type P = Record<string, string>;

const flag = (q: Q, name: string) => q[name] === 'true';

/** A version path segment: 'latest' (or -1), or 1..2^31-1; else 42202. */
export function parseVersion(v: string): number | 'latest' {
  if (v === 'latest' || v === '-1') return 'latest';
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isInteger(n) || n < 1 || n > 2147483647) throw errors.invalidVersion(v);
  return n;
}

function registerRequest(body: unknown): RegisterRequest {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.schema !== 'string') throw errors.invalidSchema('Empty schema');
  const type = (b.schemaType ?? 'AVRO') as SchemaType;
  if (!SCHEMA_TYPES.includes(type)) throw errors.invalidSchema(`Invalid schema type ${String(b.schemaType)}`);
  const refs = Array.isArray(b.references) ? (b.references as RegisterRequest['references']) : [];
  return {
    schema: b.schema,
    schemaType: type,
    references: refs,
    id: typeof b.id === 'number' ? b.id : undefined,
    version: typeof b.version === 'number' ? b.version : undefined,
  };
}

/** A version as GET /subjects/{s}/versions/{v} shows it (no schemaType for Avro, no empty references). */
export function versionBody(v: SchemaVersion): Record<string, unknown> {
  const out: Record<string, unknown> = { subject: v.subject, version: v.version, id: v.id };
  if (v.schemaType !== 'AVRO') out.schemaType = v.schemaType;
  if (v.references.length > 0) out.references = v.references;
  out.schema = v.schema;
  if (v.deleted) out.deleted = true;
  return out;
}

export function registerSchemaRegistryRoutes(app: FastifyInstance, store: SchemaStore): void {
  app.get('/', async () => ({}));
  app.get('/schemas/types', async () => [...SCHEMA_TYPES]);
  // One context, the default one (Confluent's contexts are not served).
  app.get('/contexts', async () => ['.']);

  // ---- subjects ----
  app.get('/subjects', async (req) => {
    const q = req.query as Q;
    return store.listSubjects({ deleted: flag(q, 'deleted'), deletedOnly: flag(q, 'deletedOnly'), prefix: q.subjectPrefix });
  });
  app.post('/subjects/:subject', async (req) => {
    const { subject } = req.params as P;
    return versionBody(store.lookup(subject!, registerRequest(req.body), flag(req.query as Q, 'deleted')));
  });
  app.delete('/subjects/:subject', async (req) => store.deleteSubject((req.params as P).subject!, flag(req.query as Q, 'permanent')));
  app.get('/subjects/:subject/versions', async (req) =>
    store.versions((req.params as P).subject!, flag(req.query as Q, 'deleted')).map((v) => v.version),
  );
  app.post('/subjects/:subject/versions', async (req) => {
    const v = store.register((req.params as P).subject!, registerRequest(req.body));
    const out: Record<string, unknown> = { id: v.id, version: v.version };
    if (v.schemaType !== 'AVRO') out.schemaType = v.schemaType;
    if (v.references.length > 0) out.references = v.references;
    out.schema = v.schema;
    return out;
  });
  app.get('/subjects/:subject/versions/:version', async (req) => {
    const { subject, version } = req.params as P;
    return versionBody(store.version(subject!, parseVersion(version!), flag(req.query as Q, 'deleted')));
  });
  app.get('/subjects/:subject/versions/:version/schema', async (req, reply) => {
    const { subject, version } = req.params as P;
    const v = store.version(subject!, parseVersion(version!), flag(req.query as Q, 'deleted'));
    return reply.type('application/vnd.schemaregistry.v1+json').send(v.schema);
  });
  app.get('/subjects/:subject/versions/:version/referencedby', async (req) => {
    const { subject, version } = req.params as P;
    return store.referencedBy(subject!, parseVersion(version!));
  });
  app.delete('/subjects/:subject/versions/:version', async (req) => {
    const { subject, version } = req.params as P;
    return store.deleteVersion(subject!, parseVersion(version!), flag(req.query as Q, 'permanent'));
  });

  // ---- schemas by id ----
  const idOf = (p: P) => {
    const id = Number(p.id);
    if (!Number.isInteger(id)) throw errors.schemaNotFound();
    return id;
  };
  app.get('/schemas', async () => store.listSubjects().flatMap((s) => store.versions(s).map(versionBody)));
  app.get('/schemas/ids/:id', async (req) => {
    const s = store.schemaById(idOf(req.params as P));
    const out: Record<string, unknown> = {};
    if (s.schemaType !== 'AVRO') out.schemaType = s.schemaType;
    if (s.references.length > 0) out.references = s.references;
    out.schema = s.schema;
    return out;
  });
  app.get('/schemas/ids/:id/schema', async (req, reply) =>
    reply.type('application/vnd.schemaregistry.v1+json').send(store.schemaById(idOf(req.params as P)).schema),
  );
  app.get('/schemas/ids/:id/versions', async (req) => store.usesOf(idOf(req.params as P), flag(req.query as Q, 'deleted')));
  app.get('/schemas/ids/:id/subjects', async (req) => [
    ...new Set(store.usesOf(idOf(req.params as P), flag(req.query as Q, 'deleted')).map((u) => u.subject)),
  ]);

  // ---- config ----
  const putConfig = (subject: string, body: unknown) => {
    const level = String((body as Record<string, unknown> | null)?.compatibility ?? '').toUpperCase();
    if (!isCompatibilityLevel(level)) throw errors.invalidCompatibility();
    store.setCompatibility(subject, level);
    return { compatibility: level };
  };
  app.get('/config', async () => ({ compatibilityLevel: store.compatibility('') }));
  app.put('/config', async (req) => putConfig('', req.body));
  app.delete('/config', async () => {
    const was = store.compatibility('');
    store.setCompatibility('', null);
    return { compatibilityLevel: was };
  });
  app.get('/config/:subject', async (req) => {
    const { subject } = req.params as P;
    const own = store.ownCompatibility(subject!);
    if (own) return { compatibilityLevel: own };
    if (flag(req.query as Q, 'defaultToGlobal')) return { compatibilityLevel: store.compatibility('') };
    throw errors.subjectCompatibilityNotConfigured(subject!);
  });
  app.put('/config/:subject', async (req) => putConfig((req.params as P).subject!, req.body));
  app.delete('/config/:subject', async (req) => {
    const { subject } = req.params as P;
    const own = store.ownCompatibility(subject!);
    if (!own) throw errors.subjectNotFound(subject!);
    store.setCompatibility(subject!, null);
    return { compatibilityLevel: own };
  });

  // ---- mode ----
  const putMode = (subject: string, body: unknown, force: boolean) => {
    const mode = String((body as Record<string, unknown> | null)?.mode ?? '').toUpperCase();
    if (!(MODES as readonly string[]).includes(mode)) throw errors.invalidMode();
    store.setMode(subject, mode as Mode, force);
    return { mode };
  };
  app.get('/mode', async () => ({ mode: store.mode('') }));
  app.put('/mode', async (req) => putMode('', req.body, flag(req.query as Q, 'force')));
  app.delete('/mode', async () => {
    const was = store.mode('');
    store.setMode('', null);
    return { mode: was };
  });
  app.get('/mode/:subject', async (req) => {
    const { subject } = req.params as P;
    const own = store.ownMode(subject!);
    if (own) return { mode: own };
    if (flag(req.query as Q, 'defaultToGlobal')) return { mode: store.mode('') };
    throw errors.subjectModeNotConfigured(subject!);
  });
  app.put('/mode/:subject', async (req) => putMode((req.params as P).subject!, req.body, flag(req.query as Q, 'force')));
  app.delete('/mode/:subject', async (req) => {
    const { subject } = req.params as P;
    const own = store.ownMode(subject!);
    if (!own) throw errors.subjectNotFound(subject!);
    store.setMode(subject!, null);
    return { mode: own };
  });

  // ---- compatibility ----
  const compat = (subject: string, against: number | 'latest' | 'all', body: unknown, verbose: boolean) => {
    const messages = store.check(subject, registerRequest(body), against);
    return verbose ? { is_compatible: messages.length === 0, messages } : { is_compatible: messages.length === 0 };
  };
  app.post('/compatibility/subjects/:subject/versions', async (req) =>
    compat((req.params as P).subject!, 'all', req.body, flag(req.query as Q, 'verbose')),
  );
  app.post('/compatibility/subjects/:subject/versions/:version', async (req) => {
    const { subject, version } = req.params as P;
    return compat(subject!, parseVersion(version!), req.body, flag(req.query as Q, 'verbose'));
  });
}
