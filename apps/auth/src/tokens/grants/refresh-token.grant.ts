import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AuditService } from '../../audit/audit.service.js';
import { ClientAuthenticator } from '../../clients/client-authenticator.js';
import { allowsGrant } from '../../clients/clients.service.js';
import { SessionsService } from '../../sessions/sessions.service.js';
import { AccessTokenIssuer } from '../access-token.issuer.js';
import { type Grant, stringParam } from '../grants.js';
import { LOGIN_CLIENT_ID } from '../login-client.js';
import { OAuthError } from '../oauth-error.js';
import { tokenResponse, type TokenResponse } from '../token-response.js';

/**
 * `grant_type=refresh_token`: rotates the refresh token and issues a new access token. A login's
 * token is used without a client; an application's only by that application (authenticated, or
 * named by `client_id` if public), and its tokens keep the scopes it was granted, narrowed to
 * what the user and the client still hold.
 */
@Injectable()
export class RefreshTokenGrant implements Grant {
  readonly type = 'refresh_token';

  constructor(
    private readonly clientAuthentication: ClientAuthenticator,
    private readonly sessions: SessionsService,
    private readonly issuer: AccessTokenIssuer,
    private readonly audit: AuditService,
  ) {}

  async handle(params: Record<string, unknown>, request: Request): Promise<TokenResponse> {
    const checkedSince = Date.now();
    const client = await this.clientAuthentication.identify(request, params);
    if (client && !allowsGrant(client, this.type)) throw new OAuthError('unauthorized_client', `the client is not registered for ${this.type}`);
    const { session, user, refreshToken, app } = await this.sessions.refresh(stringParam(params, 'refresh_token', true), client?.id ?? null);
    const scopes = (app?.scopes ?? session.scopes).filter((scope) => user.scopes.includes(scope) && (!client || client.scopes.includes(scope)));
    const issued = await this.issuer.issue({
      sub: user.id,
      clientId: client?.id ?? LOGIN_CLIENT_ID,
      scopes,
      sid: session.id,
      checkedSince,
      recheck: async () => {
        // Revoked meanwhile, e.g. by a concurrent reuse of the same refresh token.
        if (!(await this.sessions.isActive(session.id))) throw new OAuthError('invalid_grant', 'the session has ended');
      },
    });
    await this.audit.record({ type: 'token.issued', subject: user.id, actor: client?.id, details: { grant: this.type, sid: session.id, jti: issued.claims.jti, scope: issued.claims.scope } });
    return tokenResponse(issued, { refresh_token: refreshToken });
  }
}
