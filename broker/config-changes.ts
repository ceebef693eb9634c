// What AlterConfigs and IncrementalAlterConfigs change, as data and pure functions: the operation
// codes, a resource's config set after the changes (Kafka's ConfigAdminManager), and the request
// loop both handlers share. The config state itself is ConfigAdmin's (broker/configs.ts).

import { ErrorCode } from '../protocol/errors.js';
import type { ConfigDef } from '../config/index.js';
import type { RequestContext } from './handler.js';

/** IncrementalAlterConfigs operations (AlterConfigOp.OpType). */
export const OpType = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;
export const OP_NAMES = ['SET', 'DELETE', 'APPEND', 'SUBTRACT'];

export interface ConfigChange {
  name: string;
  /** OpType; AlterConfigs sends SET for each entry. */
  op: number;
  value: string | null;
}

type Problem = { errorCode: number; errorMessage: string };
const fail = (errorCode: number, errorMessage: string): Problem => ({ errorCode, errorMessage });

/**
 * The resource's config set after `changes`: AlterConfigs replaces it, IncrementalAlterConfigs
 * applies SET / DELETE / APPEND / SUBTRACT (the last two on list keys only, APPEND starting
 * from the key's default when unset; Kafka's ConfigAdminManager.prepareIncrementalConfigs).
 */
export function applyChanges(
  current: ReadonlyMap<string, string>,
  changes: readonly ConfigChange[],
  replace: boolean,
  defOf: (key: string) => ConfigDef | undefined,
  kind: 'topic' | 'broker',
): Map<string, string> | Problem {
  if (replace) return new Map(changes.map((c) => [c.name, c.value!]));
  const next = new Map(current);
  for (const c of changes) {
    if (c.op === OpType.SET) next.set(c.name, c.value!);
    else if (c.op === OpType.DELETE) next.delete(c.name);
    else {
      const def = defOf(c.name);
      if (!def) return fail(ErrorCode.INVALID_CONFIG, `Unknown ${kind} config name: ${c.name}`);
      if (def.type !== 'list')
        return fail(ErrorCode.INVALID_CONFIG, `Can't ${OP_NAMES[c.op]} to key ${c.name} because its type is not LIST.`);
      const split = (v: string | null | undefined) => (v ? v.split(',') : []);
      const given = split(c.value);
      if (c.op === OpType.APPEND) {
        const old = split(next.get(c.name) ?? def.default);
        next.set(c.name, [...old, ...given.filter((v) => !old.includes(v))].join(','));
      } else {
        next.set(
          c.name,
          split(next.get(c.name))
            .filter((v) => !given.includes(v))
            .join(','),
        );
      }
    }
  }
  return next;
}

/**
 * AlterConfigs and IncrementalAlterConfigs answer alike: a resource named twice gets
 * INVALID_REQUEST, every other one is altered (replacing its dynamic set, or incrementally).
 */
export function alterResources<R extends { resourceType: number; resourceName: string }>(
  resources: readonly R[],
  ctx: RequestContext,
  opts: { replace: boolean; validateOnly: boolean; changes: (r: R) => ConfigChange[] },
): Array<{ resourceType: number; resourceName: string; errorCode: number; errorMessage: string | null }> {
  const count = new Map<string, number>();
  const key = (r: R) => `${r.resourceType}:${r.resourceName}`;
  for (const r of resources) count.set(key(r), (count.get(key(r)) ?? 0) + 1);
  return resources.map((r) => {
    const head = { resourceType: r.resourceType, resourceName: r.resourceName };
    if (count.get(key(r))! > 1)
      return { ...head, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Each resource must appear at most once.' };
    const result = ctx.broker.configs.alter(r.resourceType, r.resourceName, opts.changes(r), {
      replace: opts.replace,
      validateOnly: opts.validateOnly,
      nodeId: ctx.node.nodeId,
    });
    return { ...head, ...result };
  });
}
