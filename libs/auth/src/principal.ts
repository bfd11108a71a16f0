import { type AccessTokenClaims, parseScope } from '@sso/contracts';

export type PrincipalKind = 'user' | 'service' | 'api-key';

/** Who made the request, as every route and custom guard sees it (`@CurrentPrincipal()`). */
export interface Principal {
  /**
   * `user` when the token belongs to a login session (`sid`) or names a subject other than
   * its client (e.g. after token exchange); `service` for a client-credentials token
   * (`sub === client_id`, no `sid`); `api-key` for a legacy key.
   */
  kind: PrincipalKind;
  /** `sub` of the token, or the key's identifier. */
  subject: string;
  /** Scopes of the token, or the key's ACL entries. */
  scopes: string[];
  clientId?: string;
  sessionId?: string;
  /** `jti` of the token. */
  tokenId?: string;
  /** RFC 8693 `act`: the party acting on the subject's behalf. */
  actor?: AccessTokenClaims['act'];
  /** The verified claims as they were (for API keys, what the key verifier chose to expose). */
  claims: Readonly<Record<string, unknown>>;
}

/** The principal of a verified access token. */
export function principalFromClaims(claims: AccessTokenClaims): Principal {
  const kind: PrincipalKind = claims.sid !== undefined || claims.sub !== claims.client_id ? 'user' : 'service';
  return {
    kind,
    subject: claims.sub,
    scopes: parseScope(claims.scope),
    clientId: claims.client_id,
    sessionId: claims.sid,
    tokenId: claims.jti,
    actor: claims.act,
    claims: Object.freeze({ ...claims }),
  };
}
