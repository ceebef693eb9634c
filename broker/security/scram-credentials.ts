// ScramCredentialStore: the one owner of SCRAM credentials (KIP-554), changed only by alter() and
// the JAAS seeding of the test kit. A credential is what Kafka keeps (ScramCredential): salt,
// StoredKey = H(HMAC(SaltedPassword, "Client Key")), ServerKey = HMAC(SaltedPassword, "Server Key")
// and the iteration count; never the password (org.apache.kafka.common.security.scram.internals.ScramFormatter).
//
// alter() follows Kafka's controller (org.apache.kafka.controller.ScramControlManager.alterCredentials):
// a user named twice in one request is DUPLICATE_RESOURCE, an empty name UNACCEPTABLE_CREDENTIAL,
// an unknown mechanism UNSUPPORTED_SASL_MECHANISM, iterations outside 4096..16384 UNACCEPTABLE_CREDENTIAL,
// deleting a missing credential RESOURCE_NOT_FOUND; results list the deletions, then the upsertions,
// then the errors. describe() follows org.apache.kafka.image.ScramImage.describe.
//
// Credentials persist in `kafkalite-scram-credentials.json` in the data directory (Kafka keeps
// UserScramCredentialRecords in its metadata log); with the memory store they live as long as the broker.

import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Logger } from 'pino';
import { ErrorCode, StorageCorruptError } from '../../protocol/errors.js';
import { readFileIfExists, writeFileAtomic } from '../../storage/atomic-file.js';
import type { LogStore } from '../../storage/types.js';

export const SCRAM_CREDENTIALS_FILE = 'kafkalite-scram-credentials.json';

export interface ScramMechanismInfo {
  /** The wire type (ScramMechanism.type in the admin API). */
  readonly type: number;
  readonly name: 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
  readonly hash: 'sha256' | 'sha512';
  readonly keyLength: number;
  readonly minIterations: number;
}

export const SCRAM_MECHANISMS: readonly ScramMechanismInfo[] = [
  { type: 1, name: 'SCRAM-SHA-256', hash: 'sha256', keyLength: 32, minIterations: 4096 },
  { type: 2, name: 'SCRAM-SHA-512', hash: 'sha512', keyLength: 64, minIterations: 4096 },
];
/** Kafka's ScramControlManager.MAX_ITERATIONS. */
export const SCRAM_MAX_ITERATIONS = 16384;
/** Kafka's default for kafka-configs and ScramCredentialUtils. */
export const SCRAM_DEFAULT_ITERATIONS = 4096;

export function scramMechanism(nameOrType: string | number): ScramMechanismInfo | undefined {
  return SCRAM_MECHANISMS.find((m) => m.name === nameOrType || m.type === nameOrType);
}

export interface ScramCredential {
  readonly salt: Buffer;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
  readonly iterations: number;
}

/** RFC 5802 helpers on node:crypto (Kafka's ScramFormatter). */
export const scram = {
  hmac(m: ScramMechanismInfo, key: Buffer, data: Buffer | string): Buffer {
    return createHmac(m.hash, key).update(data).digest();
  },
  hash(m: ScramMechanismInfo, data: Buffer): Buffer {
    return createHash(m.hash).update(data).digest();
  },
  /** Hi(password, salt, i): PBKDF2 with the mechanism's HMAC. */
  saltedPassword(m: ScramMechanismInfo, password: string, salt: Buffer, iterations: number): Buffer {
    return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, m.keyLength, m.hash);
  },
  fromSaltedPassword(m: ScramMechanismInfo, saltedPassword: Buffer, salt: Buffer, iterations: number): ScramCredential {
    const clientKey = scram.hmac(m, saltedPassword, 'Client Key');
    return { salt, storedKey: scram.hash(m, clientKey), serverKey: scram.hmac(m, saltedPassword, 'Server Key'), iterations };
  },
  /** A credential for a password, with a fresh random salt (ScramCredentialUtils / ScramFormatter.generateCredential). */
  fromPassword(m: ScramMechanismInfo, password: string, iterations = SCRAM_DEFAULT_ITERATIONS): ScramCredential {
    const salt = randomBytes(32);
    return scram.fromSaltedPassword(m, scram.saltedPassword(m, password, salt, iterations), salt, iterations);
  },
};

export interface AlterRequest {
  deletions: ReadonlyArray<{ name: string; mechanism: number }>;
  upsertions: ReadonlyArray<{ name: string; mechanism: number; iterations: number; salt: Buffer; saltedPassword: Buffer }>;
}

export interface UserResult {
  user: string;
  errorCode: number;
  errorMessage: string | null;
}

export interface DescribeResult extends UserResult {
  credentialInfos: Array<{ mechanism: number; iterations: number }>;
}

type Problem = { errorCode: number; errorMessage: string };

export class ScramCredentialStore {
  /** mechanism name -> user -> credential. */
  private readonly byMechanism = new Map<string, Map<string, ScramCredential>>(SCRAM_MECHANISMS.map((m) => [m.name, new Map()]));

  constructor(
    private readonly store: LogStore,
    private readonly log: Logger,
  ) {}

  /** The credential a SCRAM exchange checks, if the user has one for the mechanism. */
  get(mechanism: string, user: string): ScramCredential | undefined {
    return this.byMechanism.get(mechanism)?.get(user);
  }

  /** Add a user's credential from a password (the test kit's generated users); not persisted. */
  seed(mechanism: ScramMechanismInfo, user: string, password: string, iterations = SCRAM_DEFAULT_ITERATIONS): void {
    this.byMechanism.get(mechanism.name)!.set(user, scram.fromPassword(mechanism, password, iterations));
  }

  describe(users: ReadonlyArray<{ name: string }> | null): DescribeResult[] {
    const asked = new Map<string, boolean>();
    if (!users || users.length === 0) {
      for (const m of this.byMechanism.values()) for (const u of m.keys()) asked.set(u, false);
    } else {
      for (const u of users) asked.set(u.name, asked.has(u.name));
    }
    const out: DescribeResult[] = [];
    for (const [user, twice] of asked) {
      if (twice) {
        out.push({
          user,
          errorCode: ErrorCode.DUPLICATE_RESOURCE,
          errorMessage: `Cannot describe SCRAM credentials for the same user twice in a single request: ${user}`,
          credentialInfos: [],
        });
        continue;
      }
      const credentialInfos = [];
      for (const m of SCRAM_MECHANISMS) {
        const c = this.byMechanism.get(m.name)!.get(user);
        if (c) credentialInfos.push({ mechanism: m.type, iterations: c.iterations });
      }
      out.push(
        credentialInfos.length > 0
          ? { user, errorCode: 0, errorMessage: '', credentialInfos }
          : {
              user,
              errorCode: ErrorCode.RESOURCE_NOT_FOUND,
              errorMessage: `Attempt to describe a user credential that does not exist: ${user}`,
              credentialInfos: [],
            },
      );
    }
    return out;
  }

  alter(req: AlterRequest): UserResult[] {
    const deletions = new Map<string, { name: string; mechanism: number }>();
    const upserts = new Map<string, AlterRequest['upsertions'][number]>();
    const errors = new Map<string, Problem>();
    const twice: Problem = {
      errorCode: ErrorCode.DUPLICATE_RESOURCE,
      errorMessage: 'A user credential cannot be altered twice in the same request',
    };
    for (const d of req.deletions) {
      if (errors.has(d.name)) continue;
      if (deletions.delete(d.name)) {
        errors.set(d.name, twice);
        continue;
      }
      const problem = this.checkName(d.name, d.mechanism) ?? this.checkExists(d.name, d.mechanism);
      if (problem) errors.set(d.name, problem);
      else deletions.set(d.name, d);
    }
    for (const u of req.upsertions) {
      if (errors.has(u.name)) continue;
      const seen = deletions.delete(u.name) || upserts.delete(u.name);
      if (seen) {
        errors.set(u.name, twice);
        continue;
      }
      const problem = this.checkName(u.name, u.mechanism) ?? checkIterations(u.iterations);
      if (problem) errors.set(u.name, problem);
      else upserts.set(u.name, u);
    }
    const results: UserResult[] = [];
    for (const d of deletions.values()) {
      this.byMechanism.get(scramMechanism(d.mechanism)!.name)!.delete(d.name);
      results.push({ user: d.name, errorCode: 0, errorMessage: null });
    }
    for (const u of upserts.values()) {
      const m = scramMechanism(u.mechanism)!;
      this.byMechanism
        .get(m.name)!
        .set(u.name, scram.fromSaltedPassword(m, Buffer.from(u.saltedPassword), Buffer.from(u.salt), u.iterations));
      results.push({ user: u.name, errorCode: 0, errorMessage: null });
    }
    for (const [user, p] of errors) results.push({ user, errorCode: p.errorCode, errorMessage: p.errorMessage });
    if (deletions.size + upserts.size > 0) {
      this.save();
      this.log.info(
        { deleted: [...deletions.keys()], upserted: [...upserts.keys()] },
        'SCRAM credentials altered (AlterUserScramCredentials)',
      );
    }
    return results;
  }

  private checkName(name: string, mechanism: number): Problem | null {
    if (name === '') return { errorCode: ErrorCode.UNACCEPTABLE_CREDENTIAL, errorMessage: 'Username must not be empty' };
    if (!scramMechanism(mechanism)) return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, errorMessage: 'Unknown SCRAM mechanism' };
    return null;
  }

  private checkExists(name: string, mechanism: number): Problem | null {
    if (this.byMechanism.get(scramMechanism(mechanism)!.name)!.has(name)) return null;
    return { errorCode: ErrorCode.RESOURCE_NOT_FOUND, errorMessage: 'Attempt to delete a user credential that does not exist' };
  }

  // ---------------------------------------------------------------------------------------
  // Persistence

  private get file(): string | null {
    const dir = this.store.kind === 'disk' ? (this.store as LogStore & { dataDir?: string }).dataDir : undefined;
    return dir ? path.join(dir, SCRAM_CREDENTIALS_FILE) : null;
  }

  /** Read the persisted credentials (start-up). */
  load(): void {
    for (const m of this.byMechanism.values()) m.clear();
    const file = this.file;
    const text = file ? readFileIfExists(file, this.store.fs) : null;
    if (text === null) return;
    type Stored = { user: string; mechanism: string; salt: string; storedKey: string; serverKey: string; iterations: number };
    let parsed: { version?: number; credentials?: Stored[] };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch (err) {
      throw new StorageCorruptError(`${file} is not valid JSON`, { cause: err });
    }
    if (parsed?.version !== 1) throw new StorageCorruptError(`${file} has an unknown layout (version ${String(parsed?.version)})`);
    for (const c of parsed.credentials ?? []) {
      const map = this.byMechanism.get(c.mechanism);
      if (!map) throw new StorageCorruptError(`${file}: unknown mechanism ${c.mechanism}`);
      map.set(c.user, {
        salt: Buffer.from(c.salt, 'base64'),
        storedKey: Buffer.from(c.storedKey, 'base64'),
        serverKey: Buffer.from(c.serverKey, 'base64'),
        iterations: c.iterations,
      });
    }
  }

  private save(): void {
    const file = this.file;
    if (!file) return;
    const credentials = [];
    for (const [mechanism, users] of this.byMechanism) {
      for (const [user, c] of users) {
        credentials.push({
          user,
          mechanism,
          salt: c.salt.toString('base64'),
          storedKey: c.storedKey.toString('base64'),
          serverKey: c.serverKey.toString('base64'),
          iterations: c.iterations,
        });
      }
    }
    writeFileAtomic(file, `${JSON.stringify({ version: 1, credentials }, null, 2)}\n`, { fsync: true }, this.store.fs);
  }
}

function checkIterations(iterations: number): Problem | null {
  if (iterations < SCRAM_DEFAULT_ITERATIONS) return { errorCode: ErrorCode.UNACCEPTABLE_CREDENTIAL, errorMessage: 'Too few iterations' };
  if (iterations > SCRAM_MAX_ITERATIONS) return { errorCode: ErrorCode.UNACCEPTABLE_CREDENTIAL, errorMessage: 'Too many iterations' };
  return null;
}
