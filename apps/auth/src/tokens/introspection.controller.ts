import { Body, Controller, Header, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@sso/platform';
import type { Request } from 'express';
import { AccessTokenVerifier, InvalidTokenError } from '../access/access-token.verifier.js';
import { ClientAuthenticator } from '../clients/client-authenticator.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { stringParam } from './grants.js';
import { LOGIN_CLIENT_ID } from './login-client.js';
import { OAuthErrorFilter } from './oauth-error.filter.js';

type Introspection = { active: false } | ({ active: true } & Record<string, unknown>);

/** RFC 7662, for authenticated clients: `{ "active": false }` for anything expired, revoked or unknown. */
@ApiTags('oauth')
@Public()
@UseFilters(OAuthErrorFilter)
@Controller('oauth')
export class IntrospectionController {
  constructor(
    private readonly clients: ClientAuthenticator,
    private readonly verifier: AccessTokenVerifier,
    private readonly sessions: SessionsService,
  ) {}

  @Post('introspect')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Is this access or refresh token active, and what does it carry?' })
  async introspect(@Body() body: Record<string, unknown>, @Req() request: Request): Promise<Introspection> {
    const params = body && typeof body === 'object' ? body : {};
    await this.clients.require(request, params);
    const token = stringParam(params, 'token', true);
    try {
      const { kid: _kid, ...claims } = await this.verifier.verify(token);
      return { active: true, token_type: 'Bearer', ...claims };
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
    }
    const refresh = await this.sessions.activeSessionOf(token);
    if (!refresh) return { active: false };
    return {
      active: true,
      token_type: 'refresh_token',
      sub: refresh.session.userId,
      client_id: refresh.token.clientId ?? LOGIN_CLIENT_ID,
      sid: refresh.session.id,
      scope: (refresh.token.scopes ?? refresh.session.scopes).join(' '),
      exp: Math.floor(refresh.token.expiresAt.getTime() / 1000),
      iat: Math.floor(refresh.token.createdAt.getTime() / 1000),
    };
  }
}
