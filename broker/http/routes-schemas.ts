// The Schema Registry as the console shows it (broker/console/, the Schemas page): subjects with
// their versions and compatibility, and a compatibility check. Clients use the registry's own
// REST API on its port (broker/schema-registry/routes.ts); these routes only read the same store
// for the page, and answer 404 SCHEMA_REGISTRY_DISABLED when the registry is off.
//
//   GET  /api/v1/schemas                          { url, subjects: [{ subject, versions, latest, compatibility }] }
//   GET  /api/v1/schemas/subjects/:subject        every version with its schema text
//   POST /api/v1/schemas/subjects/:subject/check  { schema, schemaType?, version? } -> { compatible, messages }

import type { FastifyInstance, FastifyReply } from 'fastify';
import { RegistryError } from '../schema-registry/errors.js';
import type { SchemaType } from '../schema-registry/types.js';
import type { HttpContext } from './server.js';

function disabled(reply: FastifyReply) {
  return reply
    .status(404)
    .send({ error: 'SCHEMA_REGISTRY_DISABLED', message: 'the Schema Registry is off (startBroker({ schemaRegistry }))' });
}

function registryError(reply: FastifyReply, err: unknown) {
  if (err instanceof RegistryError)
    return reply.status(err.status).send({ error: `SCHEMA_REGISTRY_${err.errorCode}`, message: err.message });
  throw err;
}

export function registerSchemaRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.get('/api/v1/schemas', { schema: { tags: ['schemas'], summary: 'Subjects of the Schema Registry' } }, async (_req, reply) => {
    if (!ctx.schemas) return disabled(reply);
    const { store, url } = ctx.schemas;
    return {
      url,
      compatibility: store.compatibility(''),
      mode: store.mode(''),
      subjects: store.listSubjects().map((subject) => {
        const versions = store.versions(subject);
        const latest = versions[versions.length - 1]!;
        return {
          subject,
          versions: versions.map((v) => v.version),
          latest: { version: latest.version, id: latest.id, schemaType: latest.schemaType },
          compatibility: store.compatibility(subject),
        };
      }),
    };
  });

  app.get<{ Params: { subject: string } }>(
    '/api/v1/schemas/subjects/:subject',
    { schema: { tags: ['schemas'], summary: "A subject's versions with their schemas" } },
    async (req, reply) => {
      if (!ctx.schemas) return disabled(reply);
      const { store } = ctx.schemas;
      try {
        return {
          subject: req.params.subject,
          compatibility: store.compatibility(req.params.subject),
          versions: store.versions(req.params.subject).map((v) => ({
            version: v.version,
            id: v.id,
            schemaType: v.schemaType,
            references: v.references,
            schema: v.schema,
          })),
        };
      } catch (err) {
        return registryError(reply, err);
      }
    },
  );

  app.post<{ Params: { subject: string }; Body: { schema: string; schemaType?: SchemaType; version?: number | 'latest' } }>(
    '/api/v1/schemas/subjects/:subject/check',
    {
      schema: {
        tags: ['schemas'],
        summary: "Would this schema be accepted under the subject's compatibility level",
        body: {
          type: 'object',
          required: ['schema'],
          properties: {
            schema: { type: 'string' },
            schemaType: { type: 'string', enum: ['AVRO', 'JSON', 'PROTOBUF'] },
            version: { description: "a version number or 'latest'; default: every version the level names" },
          },
        },
      },
    },
    async (req, reply) => {
      if (!ctx.schemas) return disabled(reply);
      try {
        const messages = ctx.schemas.store.check(
          req.params.subject,
          { schema: req.body.schema, schemaType: req.body.schemaType ?? 'AVRO' },
          req.body.version ?? 'all',
        );
        return { compatible: messages.length === 0, messages };
      } catch (err) {
        return registryError(reply, err);
      }
    },
  );
}
