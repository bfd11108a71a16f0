import { AuthRejection } from '../auth-rejection.js';

// RFC 6750 §2.1: "Bearer" 1*SP b64token; a JWT is three base64url parts.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/** The token of an Authorization header, or an AuthRejection. */
export function bearerToken(authorization: string | string[] | undefined): string {
  if (authorization === undefined || authorization === '') throw new AuthRejection('missing_token');
  const match = typeof authorization === 'string' ? BEARER.exec(authorization) : null;
  if (!match || match[1].length > 8_192) throw new AuthRejection('malformed', 'the Authorization header must be "Bearer <access token>"');
  return match[1];
}
