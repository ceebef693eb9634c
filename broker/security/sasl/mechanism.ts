// The server side of one SASL exchange (javax.security.sasl.SaslServer as Kafka uses it): tokens
// in, challenges out, complete or failed. Two kinds of failure, as in Kafka's
// SaslServerAuthenticator.handleSaslToken: a SaslAuthenticationFailure carries a message the
// client may see (PLAIN's "Authentication failed: Invalid username or password"); any other
// SaslFailure is answered with the generic "Authentication failed during authentication due to
// invalid credentials with SASL mechanism X", so the client never learns whether the user exists.

export interface SaslServer {
  readonly mechanism: string;
  /** The next challenge (empty when the exchange needs none); throws SaslFailure. */
  evaluate(token: Buffer): Buffer | Promise<Buffer>;
  readonly complete: boolean;
  /** The authenticated user name (the principal is `User:<it>`), once complete. */
  readonly authorizationId: string | null;
  /** When the credential stops being valid (OAUTHBEARER exp, delegation token expiry), ms; null: never. */
  readonly credentialExpiresAtMs: number | null;
  /** A SCRAM login with `tokenauth=true` (Kafka's KafkaPrincipal.tokenAuthenticated). */
  readonly tokenAuthenticated?: boolean;
}

/** A failure whose message is not sent (Kafka's SaslException). */
export class SaslFailure extends Error {}

/** A failure whose message is sent to the client (Kafka's SaslAuthenticationException). */
export class SaslAuthenticationFailure extends SaslFailure {}
