import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, LessThan } from 'typeorm';
import { sha256Hex } from '../clients/secret-hash.js';
import { OAuthError } from '../tokens/oauth-error.js';
import { AuthorizationCode } from './authorization-code.entity.js';

/** RFC 9700 §4.5.1 / OpenID: short-lived; a minute is plenty for a redirect and a back-channel call. */
export const CODE_LIFETIME_MS = 60_000;

export type NewCode = Omit<AuthorizationCode, 'codeHash' | 'expiresAt' | 'usedAt'>;

/** Redeemed once; a second redemption is a replay (`replayOf` is the code, with the session it was issued in). */
export type Redemption = { code: AuthorizationCode } | { replayOf: AuthorizationCode };

@Injectable()
export class AuthorizationCodesService {
  constructor(private readonly dataSource: DataSource) {}

  /** A new code for a request the user was signed in for; only its hash is stored. */
  async issue(code: NewCode): Promise<string> {
    const value = randomBytes(32).toString('base64url');
    const repository = this.dataSource.getRepository(AuthorizationCode);
    await repository.delete({ expiresAt: LessThan(new Date(Date.now() - CODE_LIFETIME_MS)) });
    await repository.insert({ ...code, codeHash: sha256Hex(value), expiresAt: new Date(Date.now() + CODE_LIFETIME_MS), usedAt: null });
    return value;
  }

  /**
   * Claims a code with one conditional UPDATE, so of concurrent redemptions exactly one wins.
   * Unknown, expired, another client's or another redirect URI's: invalid_grant.
   */
  async redeem(value: string, clientId: string, redirectUri: string | undefined): Promise<Redemption> {
    const repository = this.dataSource.getRepository(AuthorizationCode);
    const code = await repository.findOneBy({ codeHash: sha256Hex(value) });
    if (!code || code.clientId !== clientId) throw new OAuthError('invalid_grant', 'the authorization code is invalid');
    const { affected } = await repository.update({ codeHash: code.codeHash, usedAt: IsNull() }, { usedAt: new Date() });
    if (!affected) return { replayOf: (await repository.findOneBy({ codeHash: code.codeHash })) ?? code };
    if (code.expiresAt <= new Date()) throw new OAuthError('invalid_grant', 'the authorization code has expired');
    if (redirectUri !== code.redirectUri) throw new OAuthError('invalid_grant', 'redirect_uri is not the one the code was issued for');
    return { code };
  }
}

/** RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) equals the challenge. */
export function verifierMatches(verifier: string, challenge: string): boolean {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url') === challenge;
}
