import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, SERVICE_CONFIG, PageQuery, pageOf, type Page } from '@sso/platform';
import type { VerifiedToken } from '../access/access-token.verifier.js';
import { CurrentToken } from '../access/current-token.decorator.js';
import { assertKnownScopes } from '../access/known-scopes.js';
import { RequireToken } from '../access/require-token.decorator.js';
import { AuditService } from '../audit/audit.service.js';
import type { AuthConfig } from '../config.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { CreateUserDto, UpdateUserDto } from './dto/user.dto.js';
import { UsersService, userView, type UserView } from './users.service.js';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('admin')
@ApiBearerAuth()
@RequireToken('auth:admin')
@Controller('admin/users')
export class AdminUsersController {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    @Inject(SERVICE_CONFIG) private readonly config: AuthConfig,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a user with per-system scopes' })
  async create(@Body() body: CreateUserDto, @CurrentToken() admin: VerifiedToken): Promise<Pick<UserView, 'id' | 'username' | 'scopes'>> {
    assertKnownScopes(body.scopes, this.config.AUTH_AUDIENCES);
    const user = await this.users.create(body.username, body.password, body.scopes);
    await this.audit.record({ type: 'user.created', subject: user.id, actor: admin.sub, details: { username: user.username, scopes: user.scopes } });
    return { id: user.id, username: user.username, scopes: user.scopes };
  }

  @Get()
  @ApiPageResponse()
  async list(@Query() page: PageQuery): Promise<Page<UserView>> {
    const [users, total] = await this.users.list(page.offset, page.limit);
    return pageOf(users.map(userView), total, page);
  }

  @Get(':id')
  async get(@Param('id', uuid) id: string): Promise<UserView> {
    return userView(await this.users.get(id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change scopes, password or disabled; a new password, a lost scope or disabling ends every session' })
  async update(@Param('id', uuid) id: string, @Body() body: UpdateUserDto, @CurrentToken() admin: VerifiedToken): Promise<UserView> {
    assertKnownScopes(body.scopes, this.config.AUTH_AUDIENCES);
    const before = await this.users.get(id);
    const losesScopes = body.scopes !== undefined && before.scopes.some((scope) => !body.scopes!.includes(scope));
    // A new password, a lost scope or a disabled account ends every session and token it had.
    if (body.disabled || body.password !== undefined || losesScopes) {
      await this.sessions.revokeAllOf(id, body.disabled ? 'user_disabled' : body.password !== undefined ? 'password_changed' : 'scopes_reduced', admin.sub);
    }
    const user = await this.users.update(id, body);
    await this.audit.record({ type: 'user.updated', subject: id, actor: admin.sub, details: { changed: Object.keys(body).filter((key) => key !== 'password').concat(body.password ? ['password'] : []) } });
    return userView(user);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', uuid) id: string, @CurrentToken() admin: VerifiedToken): Promise<void> {
    await this.users.get(id);
    // Tokens first: if Redis fails, the user is still there and the request can be retried.
    await this.sessions.revokeAllOf(id, 'user_deleted', admin.sub);
    await this.users.delete(id);
    await this.audit.record({ type: 'user.deleted', subject: id, actor: admin.sub });
  }

  @Post(':id/revoke')
  @HttpCode(204)
  @ApiOperation({ summary: 'Every token and session of the user stops working' })
  async revoke(@Param('id', uuid) id: string, @CurrentToken() admin: VerifiedToken): Promise<void> {
    await this.users.get(id);
    await this.sessions.revokeAllOf(id, 'admin_revoke', admin.sub);
  }
}
