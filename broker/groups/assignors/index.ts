// The server-side assignors a consumer group may name in ConsumerGroupHeartbeat's
// server_assignor (Kafka's group.consumer.assignors: uniform first = default, then range).

import { rangeAssignor } from './range.js';
import type { Assignor } from './types.js';
import { uniformAssignor } from './uniform.js';

export type { Assignor, AssignorInput, AssignorMember } from './types.js';

export const ASSIGNORS: ReadonlyMap<string, Assignor> = new Map([uniformAssignor, rangeAssignor].map((a) => [a.name, a]));
export const DEFAULT_ASSIGNOR = uniformAssignor.name;
