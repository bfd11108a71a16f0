import { Body, Controller, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@sso/platform';
import type { Request } from 'express';
import { AccessTokenVerifier, InvalidTokenError } from '../access/access-token.verifier.js';
import { AuditService } from '../audit/audit.service.js';
import { ClientAuthenticator } from '../clients/client-authenticator.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { stringParam } from '../tokens/grants.js';
import { OAuthError } from '../tokens/oauth-error.js';
import { OAuthErrorFilter } from '../tokens/oauth-error.filter.js';
import { RevocationWriter } from './revocation.writer.js';

/**
 * RFC 7009. Whoever holds a login's token may revoke it (its refresh token ends the session); an
 * application's refresh token only that application. A client that authenticates must do so
 * correctly. The answer is 200 whatever the token was, so it reveals nothing.
 */
@ApiTags('oauth')
@Public()
@UseFilters(OAuthErrorFilter)
@Controller('oauth')
export class RevokeController {
  constructor(
    private readonly clients: ClientAuthenticator,
    private readonly verifier: AccessTokenVerifier,
    private readonly sessions: SessionsService,
    private readonly revocation: RevocationWriter,
    private readonly audit: AuditService,
  ) {}

  @Post('revoke')
  @HttpCode(200)
  @ApiOperation({ summary: "Revoke an access token (by jti) or a refresh token (a login's: its whole session; an application's: that application's tokens)" })
  async revoke(@Body() body: Record<string, unknown>, @Req() request: Request): Promise<void> {
    const params = body && typeof body === 'object' ? body : {};
    const client = await this.clients.identify(request, params);
    const token = stringParam(params, 'token', true);
    const refresh = await this.sessions.activeSessionOf(token);
    if (refresh?.token.clientId) {
      // An application's token: only that application may revoke it (RFC 7009 §2.1), and it
      // ends that application's hold on the sign-in, not the sign-in of every application.
      if (client?.id !== refresh.token.clientId) throw new OAuthError('invalid_request', 'the token was not issued to this client');
      await this.sessions.revokeAppRefreshTokens(refresh.session.id, client.id);
      return;
    }
    if (refresh) {
      await this.sessions.revoke(refresh.session.id, 'revocation_endpoint', client?.id);
      return;
    }
    try {
      const claims = await this.verifier.verify(token);
      await this.revocation.revokeToken(claims.jti, claims.exp);
      await this.audit.record({ type: 'token.revoked', subject: claims.sub, actor: client?.id, details: { jti: claims.jti } });
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
    }
  }
}
