import { Controller, Get, Header } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { VerifiedToken } from '../access/access-token.verifier.js';
import { CurrentToken } from '../access/current-token.decorator.js';
import { RequireToken } from '../access/require-token.decorator.js';
import { UsersService } from './users.service.js';

@ApiTags('login')
@Controller('userinfo')
export class UserinfoController {
  constructor(private readonly users: UsersService) {}

  @RequireToken()
  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Who the token's subject is" })
  async userinfo(@CurrentToken() token: VerifiedToken): Promise<Record<string, unknown>> {
    const user = token.sid ? await this.users.findById(token.sub) : null;
    return { sub: token.sub, ...(user ? { preferred_username: user.username } : {}), scope: token.scope, client_id: token.client_id };
  }
}
