import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service.js';
import { SessionsService } from '../../sessions/sessions.service.js';
import { AccessTokenIssuer } from '../access-token.issuer.js';
import { type Grant, stringParam } from '../grants.js';
import { LOGIN_CLIENT_ID } from '../login-client.js';
import { OAuthError } from '../oauth-error.js';
import { tokenResponse, type TokenResponse } from '../token-response.js';

/** `grant_type=refresh_token`: rotates the refresh token and issues a new access token. */
@Injectable()
export class RefreshTokenGrant implements Grant {
  readonly type = 'refresh_token';

  constructor(
    private readonly sessions: SessionsService,
    private readonly issuer: AccessTokenIssuer,
    private readonly audit: AuditService,
  ) {}

  async handle(params: Record<string, unknown>): Promise<TokenResponse> {
    const checkedSince = Date.now();
    const { session, user, refreshToken } = await this.sessions.refresh(stringParam(params, 'refresh_token', true));
    // A session keeps what it was granted, narrowed to what the user still holds.
    const scopes = session.scopes.filter((scope) => user.scopes.includes(scope));
    const issued = await this.issuer.issue({
      sub: user.id,
      clientId: LOGIN_CLIENT_ID,
      scopes,
      sid: session.id,
      checkedSince,
      recheck: async () => {
        // Revoked meanwhile, e.g. by a concurrent reuse of the same refresh token.
        if (!(await this.sessions.isActive(session.id))) throw new OAuthError('invalid_grant', 'the session has ended');
      },
    });
    await this.audit.record({ type: 'token.issued', subject: user.id, details: { grant: this.type, sid: session.id, jti: issued.claims.jti, scope: issued.claims.scope } });
    return tokenResponse(issued, { refresh_token: refreshToken });
  }
}
