// Client quota entities (KIP-546): a set of (type, name) pairs, the types `user`, `client-id`
// and `ip`, a null name being the type's default entity. Kafka keys its quota maps by Java
// HashMaps, so the order it lists entity parts and quota keys in is its HashMap's bucket order;
// `javaOrder` reproduces it so our answers and messages read the same
// (org.apache.kafka.common.quota.ClientQuotaEntity, java.util.HashMap).

export const USER = 'user';
export const CLIENT_ID = 'client-id';
export const IP = 'ip';

/** Quota keys (Kafka's QuotaConfig): which entity combinations accept them, and their types. */
export const PRODUCER_BYTE_RATE = 'producer_byte_rate';
export const CONSUMER_BYTE_RATE = 'consumer_byte_rate';
export const REQUEST_PERCENTAGE = 'request_percentage';
export const CONTROLLER_MUTATION_RATE = 'controller_mutation_rate';
export const CONNECTION_CREATION_RATE = 'connection_creation_rate';

export type QuotaKeyType = 'long' | 'double' | 'int';

/** QuotaConfig.userAndClientQuotaConfigs(). */
export const USER_CLIENT_KEYS: ReadonlyMap<string, QuotaKeyType> = new Map([
  [PRODUCER_BYTE_RATE, 'long'],
  [CONSUMER_BYTE_RATE, 'long'],
  [REQUEST_PERCENTAGE, 'double'],
  [CONTROLLER_MUTATION_RATE, 'double'],
]);
/** QuotaConfig.ipConfigs(). */
export const IP_KEYS: ReadonlyMap<string, QuotaKeyType> = new Map([[CONNECTION_CREATION_RATE, 'int']]);

/** An entity: type → name (null: the default entity of that type). */
export type Entity = ReadonlyMap<string, string | null>;

/** A stable key for an entity, independent of the order its parts were given in. */
export function entityKey(entity: Entity): string {
  return JSON.stringify([...entity].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function entityFromKey(key: string): Entity {
  return new Map(JSON.parse(key) as Array<[string, string | null]>);
}

/** Java's String.hashCode. */
function javaHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * Keys in the order a java.util.HashMap of `capacity` buckets iterates them: by bucket
 * (the spread hash masked), ties in insertion order.
 */
export function javaOrder<T>(items: readonly T[], key: (t: T) => string, capacity = 16): T[] {
  const bucket = (t: T) => {
    const h = javaHash(key(t));
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return items
    .map((t, i) => ({ t, i, b: bucket(t) }))
    .sort((a, b) => a.b - b.b || a.i - b.i)
    .map((x) => x.t);
}

/** The table size of `new HashMap<>(n)` once n entries are in (tableSizeFor, then resizes past 3/4). */
export function presizedCapacity(n: number): number {
  let capacity = 1;
  while (capacity < n) capacity *= 2;
  while (n > capacity * 0.75) capacity *= 2;
  return capacity;
}

/**
 * The parts of an entity in Kafka's order. The map's table size decides it: an entity read from a
 * request is a `new HashMap<>(parts)` (AlterClientQuotasRequest.entries), one from the metadata
 * image a default HashMap (ClientQuotaImage.dataToEntity).
 */
export function entityParts(entity: Entity, capacity = 16): Array<{ entityType: string; entityName: string | null }> {
  return javaOrder(
    [...entity].map(([entityType, entityName]) => ({ entityType, entityName })),
    (p) => p.entityType,
    capacity,
  );
}

/** ClientQuotaEntity.toString(): `ClientQuotaEntity(entries={client-id=c, user=u})`. */
export function entityText(entity: Entity): string {
  return `ClientQuotaEntity(entries={${entityParts(entity, presizedCapacity(entity.size))
    .map((p) => `${p.entityType}=${p.entityName}`)
    .join(', ')}})`;
}
