import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, SERVICE_CONFIG, PageQuery, pageOf, type Page } from '@sso/platform';
import type { VerifiedToken } from '../access/access-token.verifier.js';
import { CurrentToken } from '../access/current-token.decorator.js';
import { assertKnownScopes } from '../access/known-scopes.js';
import { RequireToken } from '../access/require-token.decorator.js';
import { AuditService } from '../audit/audit.service.js';
import type { AuthConfig } from '../config.js';
import { RevocationWriter } from '../revocation/revocation.writer.js';
import { ClientsService, clientView, type ClientView } from './clients.service.js';
import { CreateClientDto } from './dto/create-client.dto.js';

@ApiTags('admin')
@ApiBearerAuth()
@RequireToken('auth:admin')
@Controller('admin/clients')
export class AdminClientsController {
  constructor(
    private readonly clients: ClientsService,
    private readonly revocation: RevocationWriter,
    private readonly audit: AuditService,
    @Inject(SERVICE_CONFIG) private readonly config: AuthConfig,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Register a confidential client; the secret is shown this once' })
  async create(@Body() body: CreateClientDto, @CurrentToken() admin: VerifiedToken): Promise<{ client_id: string; client_secret: string; name: string; scopes: string[] }> {
    assertKnownScopes(body.scopes, this.config.AUTH_AUDIENCES);
    const { client, secret } = await this.clients.create(body.name, body.scopes);
    await this.audit.record({ type: 'client.created', subject: client.id, actor: admin.sub, details: { name: client.name, scopes: client.scopes } });
    return { client_id: client.id, client_secret: secret, name: client.name, scopes: client.scopes };
  }

  @Get()
  @ApiPageResponse()
  async list(@Query() page: PageQuery): Promise<Page<ClientView>> {
    const [clients, total] = await this.clients.list(page.offset, page.limit);
    return pageOf(clients.map(clientView), total, page);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a client; every token issued to it stops working' })
  async delete(@Param('id') id: string, @CurrentToken() admin: VerifiedToken): Promise<void> {
    if (!(await this.clients.exists(id))) throw new NotFoundException({ message: `client ${id} does not exist`, code: 'client_not_found' });
    // Tokens first, so a failure leaves the client in place for a retry. Its own tokens carry
    // client_id = id; tokens exchanged from them by other clients carry sub = id.
    await this.revocation.cutOff('client', id);
    await this.revocation.cutOff('sub', id);
    await this.clients.delete(id);
    await this.audit.record({ type: 'client.deleted', subject: id, actor: admin.sub });
  }
}
