import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, SERVICE_CONFIG, PageQuery, pageOf, type Page } from '@sso/platform';
import type { VerifiedToken } from '../access/access-token.verifier.js';
import { CurrentToken } from '../access/current-token.decorator.js';
import { assertKnownScopes } from '../access/known-scopes.js';
import { RequireToken } from '../access/require-token.decorator.js';
import { AuditService } from '../audit/audit.service.js';
import type { AuthConfig } from '../config.js';
import { RevocationWriter } from '../revocation/revocation.writer.js';
import { ClientMetadataError, clientMetadataOf, type ClientMetadata } from './client-metadata.js';
import { auditDetails, ClientsService, clientView, type ClientView } from './clients.service.js';
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
  @ApiOperation({ summary: 'Register a client (RFC 7591 metadata); a confidential client\'s secret is shown this once, a public client has none' })
  async create(@Body() body: CreateClientDto, @CurrentToken() admin: VerifiedToken): Promise<ClientView & { client_secret?: string }> {
    assertKnownScopes(body.scopes, this.config.AUTH_AUDIENCES);
    const metadata = checkedMetadata(body);
    const { client, secret } = await this.clients.create(body.name, body.scopes, metadata);
    await this.audit.record({ type: 'client.created', subject: client.id, actor: admin.sub, details: auditDetails(client) });
    const { client_id, ...view } = clientView(client);
    return { client_id, ...(secret === undefined ? {} : { client_secret: secret }), ...view };
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

/** The metadata with its defaults, or a 400 with RFC 7591's error code and every reason. */
function checkedMetadata(body: CreateClientDto): ClientMetadata {
  try {
    return clientMetadataOf(body);
  } catch (error) {
    if (error instanceof ClientMetadataError) throw new BadRequestException({ message: error.reasons, code: error.code, error: 'Bad Request' });
    throw error;
  }
}
