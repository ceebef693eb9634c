// Delegation tokens (APIs 38-41) as the wire corpus sees them: its connections are PLAINTEXT, where
// KafkaApis.allowTokenRequests refuses every token request (DELEGATION_TOKEN_REQUEST_NOT_ALLOWED)
// before the secret is looked at; the runner (test/oracle/delegation-tokens.test.ts) sets
// delegation.token.secret.key on both brokers. The token life cycle on a SASL_PLAINTEXT listener
// (create, renew, expire, describe, owner mismatch, SCRAM logins with a token) is compared in
// test/oracle/v44-delegation-tokens.test.ts.

import {
  CreateDelegationToken,
  DescribeDelegationToken,
  ExpireDelegationToken,
  RenewDelegationToken,
} from '../../../protocol/messages/index.js';
import type { Scenario } from '../oracle.js';

const hmac = Buffer.alloc(64, 1);

export const DELEGATION_TOKEN_SCENARIOS: Scenario[] = [
  {
    id: 'delegation-tokens/create-on-plaintext',
    api: CreateDelegationToken,
    versions: [1, 3],
    about:
      'CreateDelegationToken on PLAINTEXT, for itself and for another owner: REQUEST_NOT_ALLOWED, the owner and requester echoed, -1 timestamps',
    steps: [
      { api: CreateDelegationToken, body: { ownerPrincipalType: null, ownerPrincipalName: null, renewers: [], maxLifetimeMs: -1 } },
      {
        api: CreateDelegationToken,
        body: {
          ownerPrincipalType: 'User',
          ownerPrincipalName: 'alice',
          renewers: [{ principalType: 'User', principalName: 'bob' }],
          maxLifetimeMs: 60_000,
        },
      },
    ],
  },
  {
    id: 'delegation-tokens/renew-on-plaintext',
    api: RenewDelegationToken,
    versions: [2],
    about: 'RenewDelegationToken on PLAINTEXT: REQUEST_NOT_ALLOWED, expiry -1',
    steps: [{ api: RenewDelegationToken, body: { hmac, renewPeriodMs: 1000 } }],
  },
  {
    id: 'delegation-tokens/expire-on-plaintext',
    api: ExpireDelegationToken,
    versions: [2],
    about: 'ExpireDelegationToken on PLAINTEXT: REQUEST_NOT_ALLOWED, expiry -1',
    steps: [{ api: ExpireDelegationToken, body: { hmac, expiryTimePeriodMs: -1 } }],
  },
  {
    id: 'delegation-tokens/describe-on-plaintext',
    api: DescribeDelegationToken,
    versions: [3],
    about: 'DescribeDelegationToken on PLAINTEXT, all owners and an empty list: REQUEST_NOT_ALLOWED, no tokens',
    steps: [
      { api: DescribeDelegationToken, body: { owners: null } },
      { api: DescribeDelegationToken, body: { owners: [] } },
    ],
  },
];
