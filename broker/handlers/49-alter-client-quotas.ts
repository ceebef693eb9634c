// AlterClientQuotas (key 49), v0-1 (KIP-546).
//
// Behaviour (Kafka's ControllerApis.handleAlterClientQuotas, ClientQuotaControlManager): each
// entry sets or removes (remove=true) quota keys of one entity, a null name standing for the
// type's default entity. One result per distinct entity, listed in Kafka's hash-map order. An
// entity is refused with INVALID_REQUEST for: no parts, an unknown type, an empty name, ip
// combined with user or client-id, an ip that is neither an address nor resolvable, a key not
// allowed for it (producer_byte_rate, consumer_byte_rate, request_percentage,
// controller_mutation_rate for user/client-id; connection_creation_rate for ip), a value <= 0, a
// fraction for an integral key, a key named twice or an entity named twice ("Ignoring duplicate
// entity", and the first occurrence still applies, as in Kafka). validate_only checks and
// changes nothing. Changes apply to enforcement at once (broker/quotas/) and persist in
// kafkalite-client-quotas.json in the data dir.

import { AlterClientQuotas } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { entityParts, presizedCapacity } from '../quotas/entity.js';

export default defineHandler({
  api: AlterClientQuotas,
  async handle(req, ctx) {
    const results = await ctx.broker.quotas.alter(req.entries, req.validateOnly);
    return {
      throttleTimeMs: 0,
      entries: results.map((r) => ({
        errorCode: r.errorCode,
        errorMessage: r.errorMessage,
        entity: entityParts(r.entity, presizedCapacity(r.entity.size)),
      })),
    };
  },
});
