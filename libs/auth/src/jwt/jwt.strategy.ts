import type { KeyObject } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import { ACCESS_TOKEN_TYPE } from '@sso/contracts';
import { decodeProtectedHeader, type ProtectedHeaderParameters } from 'jose';
import { Strategy } from 'passport-jwt';
import type { AuthSettings } from '../auth.options.js';
import { AuthRejection } from '../auth-rejection.js';
import { principalFromClaims } from '../principal.js';
import { checkAccessTokenClaims } from './access-token-claims.js';
import { JwksUnavailableError, type JwksKeyStore } from './jwks-key-store.js';
import type { VerifiedToken } from './verified-token.js';

/** Where the verifier hands the token to passport-jwt (it never reads headers itself). */
export const TOKEN_SLOT = Symbol('sso:token');

const KID_PATTERN = /^[\x21-\x7e]{1,128}$/;

type KeyCallback = (error: unknown, key?: KeyObject) => void;

/**
 * Registers a passport-jwt strategy under `name`. The key provider picks the key by `kid`
 * and allows only the algorithm bound to that key (and in the allow-list); the header's
 * jku, jwk, x5u and x5c are never read; crit is refused; typ must be at+jwt.
 * jsonwebtoken then checks the signature, iss, aud, exp and nbf with the tolerance.
 */
export function registerJwtStrategy(name: string, settings: AuthSettings, keys: JwksKeyStore): void {
  const keyProvider = (_request: unknown, rawToken: string, done: KeyCallback): void => {
    let header: ProtectedHeaderParameters;
    try {
      header = decodeProtectedHeader(rawToken);
    } catch {
      return done(new AuthRejection('malformed'));
    }
    const problem = headerProblem(header, settings);
    if (problem) return done(new AuthRejection(problem));
    keys.keyFor(header.kid as string).then(
      (key) => {
        if (!key) return done(new AuthRejection('unknown_key'));
        if (key.algorithm !== header.alg) return done(new AuthRejection('algorithm_not_allowed'));
        done(null, key.key);
      },
      (error: unknown) => done(error instanceof JwksUnavailableError ? new AuthRejection('jwks_unavailable') : error),
    );
  };

  class AccessTokenStrategy extends PassportStrategy(Strategy, name) {
    constructor() {
      super({
        jwtFromRequest: (request: Record<symbol, string | undefined>) => request[TOKEN_SLOT] ?? null,
        secretOrKeyProvider: keyProvider as never,
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: settings.algorithms,
        jsonWebTokenOptions: { complete: true, clockTolerance: settings.clockToleranceSeconds },
      });
    }

    validate(decoded: { header: { kid: string }; payload: unknown }): VerifiedToken {
      const claims = checkAccessTokenClaims(decoded.payload, settings.clockToleranceSeconds);
      return {
        principal: principalFromClaims(claims),
        revocation: { jti: claims.jti, sub: claims.sub, sid: claims.sid, client_id: claims.client_id, kid: decoded.header.kid, iat: claims.iat },
        expiresAtMs: (claims.exp + settings.clockToleranceSeconds) * 1000,
      };
    }
  }
  new AccessTokenStrategy();
}

function headerProblem(header: ProtectedHeaderParameters, settings: AuthSettings): AuthRejection['reason'] | undefined {
  // RFC 8725 §3.11: compare typ case-insensitively, with or without the "application/" prefix.
  const typ = typeof header.typ === 'string' ? header.typ.toLowerCase().replace(/^application\//, '') : undefined;
  if (typ !== ACCESS_TOKEN_TYPE) return 'wrong_type';
  if (header.crit !== undefined) return 'unsupported_header';
  if (typeof header.alg !== 'string' || !(settings.algorithms as string[]).includes(header.alg)) return 'algorithm_not_allowed';
  if (typeof header.kid !== 'string' || !KID_PATTERN.test(header.kid)) return 'unknown_key';
  return undefined;
}
