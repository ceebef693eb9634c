// The Schema Registry's state: subjects and their versions, schemas by id, compatibility and
// mode per subject and global. It lives in the compacted `_schemas` topic (formats in
// records.ts): every change is appended there first and then applied to the maps below by the
// same apply() that replays the topic at start, so what survives a restart is exactly what was
// written. The maps are owned here; the routes (routes.ts) only call the methods.
//
// Behaviour follows Confluent's registry (core, io.confluent.kafka.schemaregistry.storage.
// KafkaSchemaRegistry): registering a schema already live under the subject returns its id
// without a new version; the same schema under any subject shares one id; versions are never
// reused; a soft delete hides versions (deleted=true shows them), a hard delete
// (permanent=true) needs a soft delete first; READONLY refuses writes, IMPORT takes explicit ids
// and skips compatibility checks.

import type { Logger } from 'pino';
import type { BrokerConfig } from '../../config/index.js';
import type { Clock } from '../../storage/clock.js';
import { InternalTopic } from '../internal-topic.js';
import type { TopicManager } from '../topics.js';
import { compatibilityMessages, type CompatibilityLevel } from './compatibility.js';
import { errors } from './errors.js';
import { providerFor } from './providers.js';
import {
  decodeJson,
  decodeKey,
  decodeSchemaValue,
  encodeKey,
  encodeSchemaValue,
  encodeValue,
  type ConfigValue,
  type DeleteSubjectValue,
  type ModeValue,
  type RegistryKey,
} from './records.js';
import type { ParsedSchema, ResolvedReference, SchemaReference, SchemaType } from './types.js';

export const SCHEMAS_TOPIC = '_schemas';
export const MODES = ['READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT'] as const;
export type Mode = (typeof MODES)[number];

export interface SchemaVersion {
  subject: string;
  version: number;
  id: number;
  schemaType: SchemaType;
  references: SchemaReference[];
  schema: string;
  deleted: boolean;
}

export interface SchemaById {
  id: number;
  schemaType: SchemaType;
  references: SchemaReference[];
  schema: string;
}

export interface RegisterRequest {
  schema: string;
  schemaType?: SchemaType;
  references?: SchemaReference[];
  /** Explicit id (IMPORT mode, or an id the same schema already has). */
  id?: number;
  /** Explicit version (IMPORT mode). */
  version?: number;
}

export interface SeedSchema {
  type?: SchemaType;
  /** The schema: a string, or a JSON value (Avro, JSON Schema) that is stringified. */
  schema: string | object;
  references?: SchemaReference[];
}

export class SchemaStore {
  private readonly subjects = new Map<string, Map<number, SchemaVersion>>();
  private readonly byId = new Map<number, SchemaById>();
  private readonly parsed = new Map<number, ParsedSchema>();
  private readonly configs = new Map<string, CompatibilityLevel>();
  private readonly modes = new Map<string, Mode>();
  private maxId = 0;
  private readonly topic: InternalTopic;

  constructor(
    topics: TopicManager,
    config: BrokerConfig,
    clock: Clock,
    private readonly log: Logger,
  ) {
    this.topic = new InternalTopic(topics, config, clock, log, {
      name: SCHEMAS_TOPIC,
      partitionsConfig: 1,
      configs: () => ({ 'cleanup.policy': 'compact' }),
      description: 'Schema Registry',
    });
  }

  // ---- persistence -----------------------------------------------------------------------------

  /**
   * Drop the state and replay `_schemas`. The topic is created by the first write, so a broker
   * whose registry is never used shows no extra topic.
   */
  load(): void {
    this.clear();
    let records = 0;
    this.topic.replayBatches(1 << 20, (_p, batch, from) => {
      if (batch.header.isControl) return;
      for (const r of batch.records) {
        if (r.offset < from || !r.key) continue;
        const key = decodeKey(r.key);
        if (key) this.apply(key, r.value);
        records++;
      }
    });
    this.log.debug({ records, subjects: this.subjects.size, schemas: this.byId.size }, 'Schema Registry state replayed');
  }

  private clear(): void {
    this.subjects.clear();
    this.byId.clear();
    this.parsed.clear();
    this.configs.clear();
    this.modes.clear();
    this.maxId = 0;
  }

  private write(key: RegistryKey, value: Buffer | null): void {
    try {
      this.topic.appendRecords(SCHEMAS_TOPIC, [{ key: encodeKey(key), value }], 0);
    } catch (err) {
      throw errors.store(`Error while writing to the Kafka store: ${(err as Error).message}`);
    }
    this.apply(key, value);
  }

  private apply(key: RegistryKey, value: Buffer | null): void {
    switch (key.keytype) {
      case 'SCHEMA': {
        const versions = this.subjects.get(key.subject);
        if (!value) {
          const gone = versions?.get(key.version);
          versions?.delete(key.version);
          if (versions?.size === 0) this.subjects.delete(key.subject);
          if (gone && !this.idInUse(gone.id)) {
            this.byId.delete(gone.id);
            this.parsed.delete(gone.id);
          }
          return;
        }
        const v = decodeSchemaValue(value);
        const entry: SchemaVersion = { ...v, subject: key.subject, version: key.version };
        if (versions) versions.set(key.version, entry);
        else this.subjects.set(key.subject, new Map([[key.version, entry]]));
        if (!this.byId.has(v.id)) this.byId.set(v.id, { id: v.id, schemaType: v.schemaType, references: v.references, schema: v.schema });
        this.maxId = Math.max(this.maxId, v.id);
        return;
      }
      case 'CONFIG':
        if (value) this.configs.set(key.subject ?? '', decodeJson<ConfigValue>(value).compatibilityLevel as CompatibilityLevel);
        else this.configs.delete(key.subject ?? '');
        return;
      case 'MODE':
        if (value) this.modes.set(key.subject ?? '', decodeJson<ModeValue>(value).mode as Mode);
        else this.modes.delete(key.subject ?? '');
        return;
      case 'DELETE_SUBJECT': {
        if (!value) return;
        const upTo = decodeJson<DeleteSubjectValue>(value).version;
        for (const v of this.subjects.get(key.subject)?.values() ?? []) if (v.version <= upTo) v.deleted = true;
        return;
      }
      default:
        return;
    }
  }

  private idInUse(id: number): boolean {
    for (const versions of this.subjects.values()) for (const v of versions.values()) if (v.id === id) return true;
    return false;
  }

  // ---- reading ---------------------------------------------------------------------------------

  /** Subjects with a live version (or any version, with `deleted`), sorted. */
  listSubjects(opts: { deleted?: boolean; deletedOnly?: boolean; prefix?: string } = {}): string[] {
    const out: string[] = [];
    for (const [name, versions] of this.subjects) {
      if (opts.prefix && !name.startsWith(opts.prefix)) continue;
      const live = [...versions.values()].some((v) => !v.deleted);
      if (opts.deletedOnly ? !live : live || opts.deleted) out.push(name);
    }
    return out.sort();
  }

  /** The subject's versions, oldest first; throws 40401 when it has none to show. */
  versions(subject: string, deleted = false): SchemaVersion[] {
    const all = [...(this.subjects.get(subject)?.values() ?? [])].sort((a, b) => a.version - b.version);
    const shown = deleted ? all : all.filter((v) => !v.deleted);
    if (shown.length === 0) throw errors.subjectNotFound(subject);
    return shown;
  }

  /** One version ('latest' or a number); 40401 / 40402 when absent. */
  version(subject: string, version: number | 'latest', deleted = false): SchemaVersion {
    const shown = this.versions(subject, deleted);
    const found = version === 'latest' ? shown[shown.length - 1] : shown.find((v) => v.version === version);
    if (!found) throw errors.versionNotFound(version);
    return found;
  }

  schemaById(id: number): SchemaById {
    const s = this.byId.get(id);
    if (!s) throw errors.schemaNotFound(id);
    return s;
  }

  /** Every schema id with its content, for listings and the console. */
  allSchemas(): SchemaById[] {
    return [...this.byId.values()].sort((a, b) => a.id - b.id);
  }

  /** (subject, version) pairs holding a schema id. */
  usesOf(id: number, deleted = false): Array<{ subject: string; version: number }> {
    this.schemaById(id);
    const out: Array<{ subject: string; version: number }> = [];
    for (const [subject, versions] of this.subjects)
      for (const v of versions.values()) if (v.id === id && (deleted || !v.deleted)) out.push({ subject, version: v.version });
    return out.sort((a, b) => a.subject.localeCompare(b.subject) || a.version - b.version);
  }

  /** Ids of the schemas whose references name this subject version. */
  referencedBy(subject: string, version: number | 'latest'): number[] {
    const v = this.version(subject, version, true);
    const ids = new Set<number>();
    for (const versions of this.subjects.values())
      for (const other of versions.values())
        if (!other.deleted && other.references.some((r) => r.subject === subject && r.version === v.version)) ids.add(other.id);
    return [...ids].sort((a, b) => a - b);
  }

  /** The parsed form of a stored schema id (cached). */
  parsedById(id: number): ParsedSchema {
    const cached = this.parsed.get(id);
    if (cached) return cached;
    const s = this.schemaById(id);
    const parsed = this.parse(s.schemaType, s.schema, s.references);
    this.parsed.set(id, parsed);
    return parsed;
  }

  /** Parse a schema with its references resolved from the store; 42201 when it does not parse. */
  parse(type: SchemaType, schema: string, references: readonly SchemaReference[]): ParsedSchema {
    let resolved: ResolvedReference[];
    try {
      resolved = this.resolveReferences(type, references, 0);
    } catch (err) {
      throw errors.invalidSchema(
        `Invalid schema ${schema} with refs ${JSON.stringify(references)} of type ${type}, details: ${(err as Error).message}`,
      );
    }
    try {
      return providerFor(type).parse(schema, resolved);
    } catch (err) {
      throw errors.invalidSchema(
        `Invalid schema ${schema} with refs ${JSON.stringify(references)} of type ${type}, details: ${(err as Error).message}`,
      );
    }
  }

  private resolveReferences(type: SchemaType, refs: readonly SchemaReference[], depth: number): ResolvedReference[] {
    if (depth > 32) throw new Error('references nest too deep');
    return refs.map((ref) => {
      const v = this.version(ref.subject, ref.version === -1 ? 'latest' : ref.version, true);
      return { name: ref.name, type: v.schemaType, schema: v.schema, references: this.resolveReferences(type, v.references, depth + 1) };
    });
  }

  /** The live (or any, with `deleted`) version of the subject holding this schema, if any. */
  lookup(subject: string, req: RegisterRequest, deleted = false): SchemaVersion {
    const type = req.schemaType ?? 'AVRO';
    const parsed = this.parse(type, req.schema, req.references ?? []);
    const versions = this.versions(subject, deleted);
    const found = [...versions].reverse().find((v) => this.sameSchema(v, type, parsed, req.references ?? []));
    if (!found) throw errors.schemaNotFound();
    return found;
  }

  private sameSchema(v: SchemaById | SchemaVersion, type: SchemaType, parsed: ParsedSchema, refs: readonly SchemaReference[]): boolean {
    if (v.schemaType !== type || JSON.stringify(v.references) !== JSON.stringify(refs)) return false;
    try {
      return this.parsedById(v.id).canonical === parsed.canonical;
    } catch {
      return false;
    }
  }

  // ---- config and mode ---------------------------------------------------------------------------

  /** The level in force for a subject (its own, else the global one, else BACKWARD); '' is global. */
  compatibility(subject = ''): CompatibilityLevel {
    return this.configs.get(subject) ?? this.configs.get('') ?? 'BACKWARD';
  }

  /** The level set on exactly this subject ('' global), if any. */
  ownCompatibility(subject: string): CompatibilityLevel | undefined {
    return this.configs.get(subject);
  }

  setCompatibility(subject: string, level: CompatibilityLevel | null): void {
    this.checkWritable(subject, true);
    this.write(
      { keytype: 'CONFIG', subject: subject || null },
      level ? encodeValue(subject ? { subject, compatibilityLevel: level } : { compatibilityLevel: level }) : null,
    );
  }

  mode(subject = ''): Mode {
    return this.modes.get(subject) ?? this.modes.get('') ?? 'READWRITE';
  }

  ownMode(subject: string): Mode | undefined {
    return this.modes.get(subject);
  }

  setMode(subject: string, mode: Mode | null, force = false): void {
    if (mode === 'IMPORT' && !force) {
      const nonEmpty = subject ? this.listSubjects().includes(subject) : this.listSubjects().length > 0;
      if (nonEmpty) throw errors.operationNotPermitted(`Cannot import since found existing subjects`);
    }
    this.write({ keytype: 'MODE', subject: subject || null }, mode ? encodeValue(subject ? { subject, mode } : { mode }) : null);
  }

  private checkWritable(subject: string, configChange = false): void {
    const mode = this.mode(subject);
    if (mode === 'READONLY' || mode === 'READONLY_OVERRIDE') {
      if (configChange) return;
      throw errors.operationNotPermitted(`Subject ${subject} in context . is in read-only mode`);
    }
  }

  // ---- writing ---------------------------------------------------------------------------------

  /** Messages explaining why the schema may not follow the subject's versions (empty: it may). */
  check(subject: string, req: RegisterRequest, against: number | 'latest' | 'all', verbose = true): string[] {
    const type = req.schemaType ?? 'AVRO';
    const parsed = this.parse(type, req.schema, req.references ?? []);
    let previous: SchemaVersion[];
    try {
      previous = this.versions(subject);
    } catch {
      // Confluent's CompatibilityResource: nothing to compare with is compatible, but a named version must exist.
      if (against === 'latest' || against === 'all') return [];
      throw errors.versionNotFound(against);
    }
    const level = this.compatibility(subject);
    let chosen: SchemaVersion[];
    if (against === 'all') chosen = previous;
    else chosen = [this.version(subject, against)];
    const effective: CompatibilityLevel = against === 'all' ? level : (level.replace('_TRANSITIVE', '') as CompatibilityLevel);
    const comparable = chosen.filter((v) => v.schemaType === type);
    if (comparable.length < chosen.length && level !== 'NONE') return [`Incompatible because of different schema type`];
    const messages = compatibilityMessages(
      providerFor(type),
      effective,
      parsed,
      comparable.map((v) => ({ version: v.version, parsed: this.parsedById(v.id) })),
    );
    return verbose ? messages : messages.slice(0, 1);
  }

  /** Register a schema under a subject: its id (and version). */
  register(subject: string, req: RegisterRequest): SchemaVersion {
    if (!subject || [...subject].some((c) => c.charCodeAt(0) < 0x20)) throw errors.invalidSubject(subject);
    const mode = this.mode(subject);
    this.checkWritable(subject);
    const type = req.schemaType ?? 'AVRO';
    const refs = req.references ?? [];
    const parsed = this.parse(type, req.schema, refs);
    const existing = [...(this.subjects.get(subject)?.values() ?? [])].sort((a, b) => a.version - b.version);
    const live = existing.filter((v) => !v.deleted);
    const same = [...live].reverse().find((v) => this.sameSchema(v, type, parsed, refs));
    if (same && (req.id === undefined || req.id === same.id) && (req.version === undefined || req.version === same.version)) return same;
    // Confluent's checkRegisterMode: explicit ids only in IMPORT mode, and only explicit ids there.
    const explicitId = req.id !== undefined && req.id > 0;
    if (explicitId && mode !== 'IMPORT') throw errors.operationNotPermitted(`Subject ${subject} in context . is not in import mode`);
    if (!explicitId && mode === 'IMPORT') throw errors.operationNotPermitted(`Subject ${subject} in context . is not in read-write mode`);

    if (mode !== 'IMPORT') {
      const previous = live.filter((v) => v.schemaType === type);
      const level = this.compatibility(subject);
      if (previous.length < live.length && level !== 'NONE')
        throw errors.incompatible(subject, [
          `{errorType:"SCHEMA_TYPE_CHANGED", description:"The schema type changed from ${live[live.length - 1]!.schemaType} to ${type}"}`,
        ]);
      const messages = compatibilityMessages(
        providerFor(type),
        level,
        parsed,
        previous.map((v) => ({ version: v.version, parsed: this.parsedById(v.id) })),
      );
      if (messages.length > 0) throw errors.incompatible(subject, messages);
    }

    let id: number;
    if (explicitId) {
      id = req.id!;
      const taken = this.byId.get(id);
      if (taken && !this.sameSchema(taken, type, parsed, refs))
        throw errors.idDoesNotMatch(`Schema already registered with id ${id} instead of input id ${id}`);
    } else {
      id = this.allSchemas().find((s) => this.sameSchema(s, type, parsed, refs))?.id ?? this.maxId + 1;
    }
    const maxVersion = existing.length > 0 ? existing[existing.length - 1]!.version : 0;
    let version = maxVersion + 1;
    if (req.version !== undefined && req.version > 0) {
      if (mode !== 'IMPORT' && req.version !== version) throw errors.invalidSchema(`Version is not one more than previous version`);
      version = req.version;
    }
    const value: SchemaVersion = { subject, version, id, schemaType: type, references: refs, schema: req.schema, deleted: false };
    this.write({ keytype: 'SCHEMA', subject, version }, encodeSchemaValue(value));
    this.parsed.set(id, this.parsed.get(id) ?? parsed);
    return this.subjects.get(subject)!.get(version)!;
  }

  /** Delete one version: soft, or hard (after a soft delete). Returns the version number. */
  deleteVersion(subject: string, version: number | 'latest', permanent: boolean): number {
    this.checkWritable(subject);
    const v = permanent ? this.version(subject, version, true) : this.version(subject, version);
    if (!permanent && v.deleted) throw errors.versionSoftDeleted(subject, v.version);
    if (permanent && !v.deleted) throw errors.versionNotSoftDeleted(subject, v.version);
    const refs = this.referencedBy(subject, v.version);
    if (refs.length > 0)
      throw errors.referenceExists(
        `One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=${subject},version=${v.version}}.`,
      );
    if (permanent) this.write({ keytype: 'SCHEMA', subject, version: v.version }, null);
    else this.write({ keytype: 'SCHEMA', subject, version: v.version }, encodeSchemaValue({ ...v, deleted: true }));
    return v.version;
  }

  /** Delete a subject: soft (its versions hidden), or hard (after a soft delete). Returns the deleted versions. */
  deleteSubject(subject: string, permanent: boolean): number[] {
    this.checkWritable(subject);
    const all = [...(this.subjects.get(subject)?.values() ?? [])].sort((a, b) => a.version - b.version);
    if (all.length === 0) throw errors.subjectNotFound(subject);
    const live = all.filter((v) => !v.deleted);
    for (const v of live) {
      if (this.referencedBy(subject, v.version).length > 0)
        throw errors.referenceExists(
          `One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=${subject},version=${v.version}}.`,
        );
    }
    if (permanent) {
      if (live.length > 0) throw errors.subjectNotSoftDeleted(subject);
      for (const v of all) this.write({ keytype: 'SCHEMA', subject, version: v.version }, null);
      if (this.configs.has(subject)) this.write({ keytype: 'CONFIG', subject }, null);
      if (this.modes.has(subject)) this.write({ keytype: 'MODE', subject }, null);
      return all.map((v) => v.version);
    }
    if (live.length === 0) throw errors.subjectSoftDeleted(subject);
    this.write({ keytype: 'DELETE_SUBJECT', subject }, encodeValue({ subject, version: live[live.length - 1]!.version }));
    return live.map((v) => v.version);
  }

  /** Register seeded schemas (startBroker's `schemas` option) unless already there. */
  seed(schemas: Readonly<Record<string, SeedSchema>>): void {
    for (const [subject, s] of Object.entries(schemas)) {
      const schema = typeof s.schema === 'string' ? s.schema : JSON.stringify(s.schema);
      this.register(subject, { schema, schemaType: s.type ?? 'AVRO', references: s.references });
    }
  }
}
