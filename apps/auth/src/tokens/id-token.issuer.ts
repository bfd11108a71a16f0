import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { SERVICE_CONFIG } from '@sso/platform';
import type { AuthConfig } from '../config.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';

export interface IdTokenRequest {
  sub: string;
  clientId: string;
  authTime: number;
  sid: string;
  nonce?: string;
  /** The access token's times, so both end together. */
  iat: number;
  exp: number;
}

/** Signs OpenID Connect ID tokens (Core §2) with the issuer's active key, as access tokens are: `typ` JWT, `aud` the client. */
@Injectable()
export class IdTokenIssuer {
  constructor(
    private readonly jwt: JwtService,
    private readonly keys: SigningKeysService,
    @Inject(SERVICE_CONFIG) private readonly config: AuthConfig,
  ) {}

  async sign({ sub, clientId, authTime, sid, nonce, iat, exp }: IdTokenRequest): Promise<string> {
    const claims = {
      iss: this.config.AUTH_ISSUER,
      sub,
      aud: clientId,
      exp,
      iat,
      auth_time: authTime,
      sid,
      ...(nonce === undefined ? {} : { nonce }),
    };
    const key = await this.keys.signingKey();
    return this.jwt.signAsync(claims, { privateKey: key.privateKey, algorithm: key.algorithm, keyid: key.kid, header: { alg: key.algorithm, typ: 'JWT' } });
  }
}
