/** `typ` header of every access token (RFC 9068 §2.1). */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

export const SIGNING_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** Claims of an access token (CONTRACT.md, "Access tokens"). */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  client_id: string;
  /** Space-separated `<audience>:<action>` scopes. */
  scope: string;
  /** The login session; user tokens only. */
  sid?: string;
  /** RFC 8693 §4.1: the party acting on the subject's behalf. */
  act?: { sub: string; act?: AccessTokenClaims['act'] };
}
