import { Body, Controller, Header, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@sso/platform';
import type { Request } from 'express';
import type { VerifiedToken } from '../access/access-token.verifier.js';
import { CurrentToken } from '../access/current-token.decorator.js';
import { RequireToken } from '../access/require-token.decorator.js';
import { RevocationWriter } from '../revocation/revocation.writer.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { LOGIN_CLIENT_ID } from '../tokens/login-client.js';
import type { TokenResponse } from '../tokens/token-response.js';
import { LoginDto } from './dto/login.dto.js';
import { LoginService } from './login.service.js';

@ApiTags('login')
@Controller('auth')
export class LoginController {
  constructor(
    private readonly login: LoginService,
    private readonly sessions: SessionsService,
    private readonly revocation: RevocationWriter,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Log in with a username and password; opens a session' })
  logIn(@Body() body: LoginDto, @Req() request: Request): Promise<TokenResponse> {
    return this.login.login(body, request.ip ?? 'unknown');
  }

  @RequireToken()
  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: "End the token's session: its access and refresh tokens stop working everywhere" })
  async logOut(@CurrentToken() token: VerifiedToken): Promise<void> {
    // Only the login's own tokens end the session: a service holding an exchanged token may
    // give that token up, not log the user out.
    if (token.sid && token.client_id === LOGIN_CLIENT_ID) await this.sessions.revoke(token.sid, 'logout', token.sub);
    else await this.revocation.revokeToken(token.jti, token.exp);
  }
}
