// The Schema Registry's errors: an HTTP status, Confluent's `error_code` and message, sent as
// `{ "error_code": 40401, "message": "Subject 'orders-value' not found." }`. The codes and
// message texts are Confluent's (io.confluent.kafka.schemaregistry.rest.exceptions.Errors and
// the Rest*Exception classes beside it), so clients that match on them behave as they do there.

export class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

/** Confluent's error codes by name. */
export const ERROR_CODES = {
  SUBJECT_NOT_FOUND: 40401,
  VERSION_NOT_FOUND: 40402,
  SCHEMA_NOT_FOUND: 40403,
  SUBJECT_SOFT_DELETED: 40404,
  SUBJECT_NOT_SOFT_DELETED: 40405,
  SCHEMAVERSION_SOFT_DELETED: 40406,
  SCHEMAVERSION_NOT_SOFT_DELETED: 40407,
  SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED: 40408,
  SUBJECT_LEVEL_MODE_NOT_CONFIGURED: 40409,
  INCOMPATIBLE_SCHEMA: 40901,
  INVALID_SCHEMA: 42201,
  INVALID_VERSION: 42202,
  INVALID_COMPATIBILITY_LEVEL: 42203,
  INVALID_MODE: 42204,
  OPERATION_NOT_PERMITTED: 42205,
  REFERENCE_EXISTS: 42206,
  ID_DOES_NOT_MATCH: 42207,
  INVALID_SUBJECT: 42208,
  STORE_ERROR: 50001,
} as const;

const C = ERROR_CODES;

export const errors = {
  subjectNotFound: (subject: string) => new RegistryError(404, C.SUBJECT_NOT_FOUND, `Subject '${subject}' not found.`),
  versionNotFound: (version: number | string) => new RegistryError(404, C.VERSION_NOT_FOUND, `Version ${version} not found.`),
  schemaNotFound: (id?: number) =>
    new RegistryError(404, C.SCHEMA_NOT_FOUND, id === undefined ? 'Schema not found' : `Schema ${id} not found`),
  subjectSoftDeleted: (subject: string) =>
    new RegistryError(404, C.SUBJECT_SOFT_DELETED, `Subject '${subject}' was soft deleted.Set permanent=true to delete permanently`),
  subjectNotSoftDeleted: (subject: string) =>
    new RegistryError(404, C.SUBJECT_NOT_SOFT_DELETED, `Subject '${subject}' was not deleted first before being permanently deleted`),
  versionSoftDeleted: (subject: string, version: number) =>
    new RegistryError(
      404,
      C.SCHEMAVERSION_SOFT_DELETED,
      `Subject '${subject}' Version ${version} was soft deleted.Set permanent=true to delete permanently`,
    ),
  versionNotSoftDeleted: (subject: string, version: number) =>
    new RegistryError(
      404,
      C.SCHEMAVERSION_NOT_SOFT_DELETED,
      `Subject '${subject}' Version ${version} was not deleted first before being permanently deleted`,
    ),
  subjectCompatibilityNotConfigured: (subject: string) =>
    new RegistryError(
      404,
      C.SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED,
      `Subject '${subject}' does not have subject-level compatibility configured`,
    ),
  subjectModeNotConfigured: (subject: string) =>
    new RegistryError(404, C.SUBJECT_LEVEL_MODE_NOT_CONFIGURED, `Subject '${subject}' does not have subject-level mode configured`),
  incompatible: (subject: string, details: string[]) =>
    new RegistryError(
      409,
      C.INCOMPATIBLE_SCHEMA,
      `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${details.join(', ')}]`,
    ),
  invalidSchema: (message: string) => new RegistryError(422, C.INVALID_SCHEMA, message),
  invalidVersion: (version: string) =>
    new RegistryError(
      422,
      C.INVALID_VERSION,
      `The specified version '${version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
    ),
  invalidCompatibility: () =>
    new RegistryError(
      422,
      C.INVALID_COMPATIBILITY_LEVEL,
      'Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive',
    ),
  invalidMode: () => new RegistryError(422, C.INVALID_MODE, 'Invalid mode. Valid values are READWRITE, READONLY, IMPORT and FORWARD.'),
  operationNotPermitted: (message: string) => new RegistryError(422, C.OPERATION_NOT_PERMITTED, message),
  referenceExists: (message: string) => new RegistryError(422, C.REFERENCE_EXISTS, message),
  idDoesNotMatch: (message: string) => new RegistryError(422, C.ID_DOES_NOT_MATCH, message),
  invalidSubject: (subject: string) => new RegistryError(422, C.INVALID_SUBJECT, `Invalid subject ${subject}`),
  store: (message: string) => new RegistryError(500, C.STORE_ERROR, message),
};
