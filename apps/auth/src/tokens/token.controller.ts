import { Body, Controller, Header, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@sso/platform';
import type { Request } from 'express';
import { AuthorizationCodeGrant } from './grants/authorization-code.grant.js';
import { ClientCredentialsGrant } from './grants/client-credentials.grant.js';
import { RefreshTokenGrant } from './grants/refresh-token.grant.js';
import { TokenExchangeGrant } from './grants/token-exchange.grant.js';
import { type Grant, stringParam } from './grants.js';
import { OAuthError } from './oauth-error.js';
import { OAuthErrorFilter } from './oauth-error.filter.js';
import type { TokenResponse } from './token-response.js';

/** The token endpoint (RFC 6749 §3.2): form-encoded, JSON also accepted. */
@ApiTags('oauth')
@Public()
@UseFilters(OAuthErrorFilter)
@Controller('oauth')
export class TokenController {
  private readonly grants: Map<string, Grant>;

  constructor(authorizationCode: AuthorizationCodeGrant, refresh: RefreshTokenGrant, clientCredentials: ClientCredentialsGrant, exchange: TokenExchangeGrant) {
    this.grants = new Map([authorizationCode, refresh, clientCredentials, exchange].map((grant) => [grant.type, grant]));
  }

  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiOperation({ summary: 'authorization_code (PKCE), refresh_token, client_credentials and token-exchange grants' })
  token(@Body() body: Record<string, unknown>, @Req() request: Request): Promise<TokenResponse> {
    const params = body && typeof body === 'object' ? body : {};
    const grantType = stringParam(params, 'grant_type', true);
    const grant = this.grants.get(grantType);
    if (!grant) throw new OAuthError('unsupported_grant_type', `grant_type ${grantType} is not supported`);
    return grant.handle(params, request);
  }
}
