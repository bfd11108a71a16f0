/** `typ` header of every access token (RFC 9068 §2.1). */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/**
 * The one algorithm set of the ecosystem: what the issuer may be configured to sign (through
 * @nestjs/jwt) and what every guard can verify (through passport-jwt). Both run on jsonwebtoken,
 * which has no EdDSA. RS256 is the default.
 */
export const SIGNING_ALGORITHMS = ['RS256', 'PS256', 'ES256'] as const;
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

/**
 * A token's `sub` as the resource services accept it when a request names a subject:
 * printable ASCII without spaces, as the issuer mints them (UUIDs, client ids).
 */
export const SUBJECT_PATTERN = /^[\x21-\x7E]{1,255}$/;
export const SUBJECT_MESSAGE = 'must be 1 to 255 printable ASCII characters without spaces';
