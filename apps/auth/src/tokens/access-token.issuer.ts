import { randomUUID } from 'node:crypto';
import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ACCESS_TOKEN_TYPE, audiencesOf, formatScope, type AccessTokenClaims } from '@sso/contracts';
import { SERVICE_CONFIG } from '@sso/platform';
import type { AuthConfig } from '../config.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { RevocationWriter } from '../revocation/revocation.writer.js';
import { OAuthError } from './oauth-error.js';

/** The issuer's own audience: a token without scopes can still reach userinfo and logout. */
export const OWN_AUDIENCE = 'auth';

export interface TokenRequest {
  sub: string;
  clientId: string;
  scopes: string[];
  sid?: string;
  act?: AccessTokenClaims['act'];
  /** The token must not outlive this (seconds since the epoch). */
  notAfter?: number;
  /** When the caller began checking that the request may have a token (ms since the epoch). */
  checkedSince: number;
  /**
   * Checks again, throwing if the request may no longer have a token. Called when a cut-off
   * was written while the request was being checked: revocations write the database first,
   * so what it reads now includes the revocation.
   */
  recheck: () => Promise<void>;
}

export interface IssuedToken {
  token: string;
  claims: AccessTokenClaims;
  expiresIn: number;
}

/** Signs RFC 9068 access tokens with the active key, through @nestjs/jwt. */
@Injectable()
export class AccessTokenIssuer {
  constructor(
    private readonly jwt: JwtService,
    private readonly keys: SigningKeysService,
    private readonly revocation: RevocationWriter,
    @Inject(SERVICE_CONFIG) private readonly config: AuthConfig,
  ) {}

  async issue({ sub, clientId, scopes, sid, act, notAfter, checkedSince, recheck }: TokenRequest): Promise<IssuedToken> {
    const iat = await this.issuedAtAfterCutOffs({ sub, client: clientId, sid }, checkedSince, recheck);
    const exp = Math.min(iat + this.config.AUTH_ACCESS_TOKEN_TTL_SECONDS, notAfter ?? Number.POSITIVE_INFINITY);
    if (exp <= iat) throw new OAuthError('invalid_grant', 'the subject token expires too soon to be exchanged');
    const claims: AccessTokenClaims = {
      iss: this.config.AUTH_ISSUER,
      sub,
      aud: scopes.length > 0 ? audiencesOf(scopes) : [OWN_AUDIENCE],
      exp,
      nbf: iat,
      iat,
      jti: randomUUID(),
      client_id: clientId,
      scope: formatScope(scopes),
      ...(sid ? { sid } : {}),
      ...(act ? { act } : {}),
    };
    const key = await this.keys.signingKey();
    // The claims carry their own iat, nbf and exp: no lifetime options here.
    const token = await this.jwt.signAsync({ ...claims }, { privateKey: key.privateKey, algorithm: key.algorithm, keyid: key.kid, header: { alg: key.algorithm, typ: ACCESS_TOKEN_TYPE } });
    return { token, claims, expiresIn: exp - iat };
  }

  /**
   * Verifiers refuse tokens with `iat <= cut-off`. A cut-off written since the request's checks
   * began may be one they missed, so they run again; a token issued in the very second of a
   * cut-off (a login right after "revoke all") would be refused, so issuing waits for the next.
   */
  private async issuedAtAfterCutOffs(subject: { sub: string; client: string; sid?: string }, checkedSince: number, recheck: () => Promise<void>): Promise<number> {
    const cutOff = await this.revocation.latestCutOff(subject);
    if (cutOff === undefined) return Math.floor(Date.now() / 1000);
    if (cutOff >= Math.floor(checkedSince / 1000)) await recheck();
    if (cutOff > Math.floor(Date.now() / 1000) + 2) {
      // Written by a replica whose clock runs ahead: refuse rather than wait without bound.
      throw new ServiceUnavailableException({ message: 'a revocation cut-off lies in the future; check the clocks of the auth replicas', code: 'clock_skew' });
    }
    // A loop, not one sleep: timers may fire a millisecond before the wall clock says so.
    for (let now = Date.now(); Math.floor(now / 1000) <= cutOff; now = Date.now()) {
      await new Promise((resolve) => setTimeout(resolve, Math.min((cutOff + 1) * 1000 - now + 1, 1_000)));
    }
    return Math.floor(Date.now() / 1000);
  }
}
