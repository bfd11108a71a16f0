import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ACCESS_TOKEN_TYPE, audiencesOf, formatScope, type AccessTokenClaims } from '@sso/contracts';
import { SERVICE_CONFIG } from '@sso/platform';
import { SignJWT } from 'jose';
import type { AuthConfig } from '../config.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { RevocationWriter } from '../revocation/revocation.writer.js';

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
}

export interface IssuedToken {
  token: string;
  claims: AccessTokenClaims;
  expiresIn: number;
}

/** Signs RFC 9068 access tokens with the active key. */
@Injectable()
export class AccessTokenIssuer {
  constructor(
    private readonly keys: SigningKeysService,
    private readonly revocation: RevocationWriter,
    @Inject(SERVICE_CONFIG) private readonly config: AuthConfig,
  ) {}

  async issue({ sub, clientId, scopes, sid, act, notAfter }: TokenRequest): Promise<IssuedToken> {
    const iat = await this.issuedAtAfterCutOffs(sub, clientId, sid);
    const exp = Math.min(iat + this.config.AUTH_ACCESS_TOKEN_TTL_SECONDS, notAfter ?? Number.POSITIVE_INFINITY);
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
    const token = await new SignJWT({ ...claims }).setProtectedHeader({ alg: key.algorithm, typ: ACCESS_TOKEN_TYPE, kid: key.kid }).sign(key.privateKey);
    return { token, claims, expiresIn: exp - iat };
  }

  /**
   * Verifiers refuse tokens with `iat <= cut-off`. A token issued in the very second of a
   * cut-off (a login right after "revoke all") would be refused, so issuing waits for the next.
   */
  private async issuedAtAfterCutOffs(sub: string, client: string, sid?: string): Promise<number> {
    const cutOff = await this.revocation.latestCutOff({ sub, sid, client });
    const now = Date.now();
    if (cutOff !== undefined && Math.floor(now / 1000) <= cutOff) {
      await new Promise((resolve) => setTimeout(resolve, Math.min((cutOff + 1) * 1000 - now, 1_000)));
    }
    return Math.floor(Date.now() / 1000);
  }
}
