import { createPublicKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { ACCESS_TOKEN_TYPE, SIGNING_ALGORITHMS, revocationReason, type AccessTokenClaims } from '@sso/contracts';
import { SERVICE_CONFIG } from '@sso/platform';
import { errors, jwtVerify, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { DataSource, In } from 'typeorm';
import type { AuthConfig } from '../config.js';
import { SigningKey } from '../keys/signing-key.entity.js';
import { RevocationWriter, type RevocationLookup } from '../revocation/revocation.writer.js';

export class InvalidTokenError extends Error {}

const KEY_CACHE_MS = 30_000;

export type VerifiedToken = AccessTokenClaims & { kid: string };

/**
 * The issuer's own check of its access tokens (for logout, userinfo, introspection, token
 * exchange, revocation and its admin API): signature by a published key of the token's
 * algorithm, `typ`, `iss`, times with 30 s of skew, then the revocation state (RevocationWriter:
 * Redis while its projection is whole, else the database).
 */
@Injectable()
export class AccessTokenVerifier {
  // Re-read from the database now and then: a removed key must stop verifying here even if
  // its revocation entry in Redis were lost.
  private readonly keys = new Map<string, { key: KeyObject; algorithm: string; loadedAt: number }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly revocation: RevocationWriter,
    @Inject(SERVICE_CONFIG) private readonly config: AuthConfig,
  ) {}

  /** Verifies a token; `audience` additionally requires it in `aud`. Throws InvalidTokenError. */
  async verify(token: string, options: { audience?: string } = {}): Promise<VerifiedToken> {
    let claims: AccessTokenClaims;
    let kid: string;
    try {
      const result = await jwtVerify<AccessTokenClaims>(token, (header) => this.keyFor(header), {
        issuer: this.config.AUTH_ISSUER,
        audience: options.audience,
        algorithms: [...SIGNING_ALGORITHMS],
        typ: ACCESS_TOKEN_TYPE,
        clockTolerance: 30,
        requiredClaims: ['exp', 'iat', 'jti', 'sub', 'client_id'],
      });
      claims = result.payload as AccessTokenClaims;
      kid = result.protectedHeader.kid!;
    } catch (error) {
      // Not knowing the keys is not a verdict on the token: the caller may retry.
      if (error instanceof ServiceUnavailableException) throw error;
      throw new InvalidTokenError(describe(error));
    }
    const lookups: RevocationLookup[] = [['jti', claims.jti], ['kid', kid], ['sub', claims.sub], ['client', claims.client_id], ...(claims.sid ? [['sid', claims.sid] as const] : [])];
    const found = await this.revocation.scores(lookups);
    const scores = new Map(lookups.map(([kind, value], index) => [`${kind}:${value}`, found[index]]));
    const reason = revocationReason({ ...claims, kid }, (kind, value) => scores.get(`${kind}:${value}`) ?? undefined);
    if (reason) throw new InvalidTokenError(`the token has been revoked (${reason})`);
    return { ...claims, kid };
  }

  /**
   * An ID token this issuer signed, presented back as `id_token_hint` (RP-initiated logout):
   * signature, `typ` JWT and `iss` are checked; an expired one is still a good hint (OpenID
   * Connect RP-Initiated Logout §2). Throws InvalidTokenError.
   */
  async verifyIdTokenHint(token: string): Promise<{ sub: string; aud: string; sid?: string }> {
    let payload: JWTPayload;
    try {
      payload = (await jwtVerify(token, (header) => this.keyFor(header), { issuer: this.config.AUTH_ISSUER, algorithms: [...SIGNING_ALGORITHMS], typ: 'JWT', requiredClaims: ['sub', 'aud'] })).payload;
    } catch (error) {
      if (error instanceof ServiceUnavailableException) throw error;
      // Raised only once the signature and the issuer have been checked.
      if (!(error instanceof errors.JWTExpired)) throw new InvalidTokenError(describe(error));
      payload = error.payload;
    }
    const { sub, aud, sid } = payload as JWTPayload & { sid?: unknown };
    if (typeof sub !== 'string' || typeof aud !== 'string') throw new InvalidTokenError('the ID token has no single audience');
    return { sub, aud, ...(typeof sid === 'string' ? { sid } : {}) };
  }

  private async keyFor(header: JWTHeaderParameters): Promise<KeyObject> {
    if (!header.kid) throw new InvalidTokenError('the token names no key (kid)');
    let known = this.keys.get(header.kid);
    if (!known || Date.now() - known.loadedAt > KEY_CACHE_MS) {
      this.keys.delete(header.kid);
      const row = await this.dataSource
        .getRepository(SigningKey)
        .findOneBy({ kid: header.kid, state: In(['next', 'active', 'retiring']) })
        .catch(() => {
          throw new ServiceUnavailableException({ message: 'the signing keys cannot be read; try again', code: 'signing_keys_unavailable' });
        });
      if (!row) throw new InvalidTokenError('the token was signed by an unknown or removed key');
      known = { key: createPublicKey({ key: row.publicJwk as never, format: 'jwk' }), algorithm: row.algorithm, loadedAt: Date.now() };
      this.keys.set(header.kid, known);
    }
    if (known.algorithm !== header.alg) throw new InvalidTokenError('the token algorithm does not match its key');
    return known.key;
  }
}

function describe(error: unknown): string {
  if (error instanceof InvalidTokenError) return error.message;
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not acceptable`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token algorithm is not allowed';
  return 'the token is malformed';
}
