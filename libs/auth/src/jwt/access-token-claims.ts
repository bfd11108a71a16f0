import type { AccessTokenClaims } from '@sso/contracts';
import { AuthRejection } from '../auth-rejection.js';

/**
 * The claims checks jsonwebtoken leaves to us: `exp` is required (jsonwebtoken only checks
 * it when present), `iat` may not lie in the future beyond the tolerance, and the claims the
 * principal and revocation depend on must be there with the right types.
 */
export function checkAccessTokenClaims(payload: unknown, clockToleranceSeconds: number, nowSeconds = Math.floor(Date.now() / 1000)): AccessTokenClaims {
  if (typeof payload !== 'object' || payload === null) throw new AuthRejection('malformed');
  const claims = payload as Record<string, unknown>;
  const numbers = ['exp', 'iat'].every((name) => typeof claims[name] === 'number' && Number.isFinite(claims[name]));
  const strings = ['sub', 'jti', 'client_id'].every((name) => typeof claims[name] === 'string' && claims[name] !== '');
  const optional = (name: string, type: string) => claims[name] === undefined || typeof claims[name] === type;
  if (!numbers || !strings || !optional('scope', 'string') || !optional('sid', 'string') || !optional('act', 'object')) {
    throw new AuthRejection('missing_claim');
  }
  if ((claims.iat as number) > nowSeconds + clockToleranceSeconds) throw new AuthRejection('not_yet_valid');
  return claims as unknown as AccessTokenClaims;
}
