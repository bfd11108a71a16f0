import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, type Page } from '@sso/platform';
import { AdminCredentials } from '../http/admin-credentials.decorator.js';
import { AuditEventViewDto } from './dto/audit-event-view.dto.js';
import { AuditEventsQuery } from './dto/audit-events.query.js';
import { AuditService, type AuditEventView } from './audit.service.js';

@ApiTags('audit')
@Controller('admin/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @AdminCredentials()
  @ApiOperation({ summary: 'The key audit trail, newest first: created, updated, deleted, restored, expired, purged, used_after_delete' })
  @ApiPageResponse(AuditEventViewDto)
  list(@Query() query: AuditEventsQuery): Promise<Page<AuditEventView>> {
    return this.audit.list({ type: query.type, keyId: query.keyId }, query.offset, query.limit);
  }
}
