import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AuditService } from '../../audit/audit.service.js';
import { AuthorizationCodesService, verifierMatches } from '../../authorize/authorization-codes.service.js';
import { ClientAuthenticator } from '../../clients/client-authenticator.js';
import type { Client } from '../../clients/client.entity.js';
import { allowsGrant } from '../../clients/clients.service.js';
import { SessionsService } from '../../sessions/sessions.service.js';
import { UsersService } from '../../users/users.service.js';
import { AccessTokenIssuer } from '../access-token.issuer.js';
import { type Grant, stringParam } from '../grants.js';
import { IdTokenIssuer } from '../id-token.issuer.js';
import { OAuthError } from '../oauth-error.js';
import { tokenResponse, type TokenResponse } from '../token-response.js';

/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/**
 * `grant_type=authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.5): a confidential client
 * authenticates, a public one names itself; the code must be its own, unused, unexpired, for
 * the same redirect URI, and match the PKCE verifier. A code presented twice ends the sign-in
 * it was issued in, and so every token of its first redemption (RFC 6749 §4.1.2). The tokens carry the browser
 * session's `sid`, so signing out there ends them everywhere. With `offline_access` granted, a
 * refresh token bound to the client comes too.
 */
@Injectable()
export class AuthorizationCodeGrant implements Grant {
  readonly type = 'authorization_code' as const;

  constructor(
    private readonly clientAuthentication: ClientAuthenticator,
    private readonly codes: AuthorizationCodesService,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly issuer: AccessTokenIssuer,
    private readonly idTokens: IdTokenIssuer,
    private readonly audit: AuditService,
  ) {}

  async handle(params: Record<string, unknown>, request: Request): Promise<TokenResponse> {
    const checkedSince = Date.now();
    const client = await this.client(params, request);
    const code = stringParam(params, 'code', true);
    const verifier = stringParam(params, 'code_verifier');
    if (!verifier || !CODE_VERIFIER.test(verifier)) throw new OAuthError('invalid_request', 'code_verifier is required (PKCE): 43 to 128 characters');
    const redemption = await this.codes.redeem(code, client.id, stringParam(params, 'redirect_uri'));
    if ('replayOf' in redemption) {
      const first = redemption.replayOf;
      // Whatever the first use issued, or is issuing right now, carries the session's sid: ending
      // the session revokes it all, refresh tokens included, with no window for a race.
      await this.sessions.revoke(first.sessionId, 'authorization_code_reuse', client.id);
      await this.audit.record({ type: 'authorization_code.reuse_detected', subject: first.userId, actor: client.id, details: { sid: first.sessionId } });
      throw new OAuthError('invalid_grant', 'the authorization code was already used; the sign-in it was issued in is ended');
    }
    const { code: granted } = redemption;
    if (!verifierMatches(verifier, granted.codeChallenge)) throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
    const user = await this.users.findById(granted.userId);
    const session = await this.sessions.activeSession(granted.sessionId);
    if (!user || !session) throw new OAuthError('invalid_grant', 'the sign-in the code was issued for has ended');

    const scopes = granted.scopes.filter((scope) => user.scopes.includes(scope) && client.scopes.includes(scope));
    const issued = await this.issuer.issue({
      sub: user.id,
      clientId: client.id,
      scopes,
      sid: granted.sessionId,
      checkedSince,
      recheck: async () => {
        if (!(await this.sessions.isActive(granted.sessionId))) throw new OAuthError('invalid_grant', 'the sign-in the code was issued for has ended');
      },
    });
    await this.sessions.noteAppSignIn(session.id, client.id);
    const refreshToken = granted.offlineAccess && allowsGrant(client, 'refresh_token') ? await this.sessions.issueAppRefreshToken(session, client.id, scopes) : undefined;
    const idToken = granted.openid
      ? await this.idTokens.sign({ sub: user.id, clientId: client.id, authTime: granted.authTime, sid: granted.sessionId, nonce: granted.nonce ?? undefined, iat: issued.claims.iat, exp: issued.claims.exp })
      : undefined;
    await this.audit.record({ type: 'token.issued', subject: user.id, actor: client.id, details: { grant: this.type, sid: granted.sessionId, jti: issued.claims.jti, scope: issued.claims.scope } });
    return tokenResponse(issued, { ...(idToken && { id_token: idToken }), ...(refreshToken && { refresh_token: refreshToken }) });
  }

  /** The confidential client that authenticated, or the public client named by client_id. */
  private async client(params: Record<string, unknown>, request: Request): Promise<Client> {
    const client = await this.clientAuthentication.identify(request, params);
    if (!client) throw new OAuthError('invalid_request', 'client_id is required: client authentication for a confidential client, client_id alone for a public one');
    if (!allowsGrant(client, this.type)) throw new OAuthError('unauthorized_client', `the client is not registered for ${this.type}`);
    return client;
  }
}
