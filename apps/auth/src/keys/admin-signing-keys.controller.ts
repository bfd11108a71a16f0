import { Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, PageQuery, pageOf, type Page } from '@sso/platform';
import type { VerifiedToken } from '../access/access-token.verifier.js';
import { CurrentToken } from '../access/current-token.decorator.js';
import { RequireToken } from '../access/require-token.decorator.js';
import type { SigningKey } from './signing-key.entity.js';
import { SigningKeysService } from './signing-keys.service.js';

@ApiTags('admin')
@ApiBearerAuth()
@RequireToken('auth:admin')
@Controller('admin/signing-keys')
export class AdminSigningKeysController {
  constructor(private readonly keys: SigningKeysService) {}

  @Get()
  @ApiOperation({ summary: 'The keys with their state (no private material), oldest first' })
  @ApiPageResponse()
  async list(@Query() query: PageQuery): Promise<Page<SigningKey>> {
    const [keys, total] = await this.keys.list(query);
    return pageOf(keys, total, query);
  }

  @Post('rotate')
  @ApiOperation({ summary: 'Promote the next key, retire the active one, prepare a new next key' })
  async rotate(@CurrentToken() admin: VerifiedToken): Promise<{ kid: string }> {
    return { kid: await this.keys.rotate(admin.sub) };
  }

  @Delete(':kid')
  @HttpCode(204)
  @ApiOperation({ summary: 'Emergency removal: tokens signed by the key fail everywhere at once' })
  async delete(@Param('kid') kid: string, @CurrentToken() admin: VerifiedToken): Promise<void> {
    await this.keys.delete(kid, admin.sub);
  }
}
