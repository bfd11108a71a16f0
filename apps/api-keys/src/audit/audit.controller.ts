import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminCredentials } from '../http/admin-credentials.decorator.js';
import { AuditEventPageDto } from './dto/audit-event-page.dto.js';
import { AuditEventsQuery } from './dto/audit-events.query.js';
import { AuditService } from './audit.service.js';

@ApiTags('audit')
@Controller('admin/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @AdminCredentials()
  @ApiOperation({ summary: 'The key audit trail, newest first: created, updated, deleted, restored, expired, purged, used_after_delete' })
  @ApiOkResponse({ type: AuditEventPageDto })
  list(@Query() query: AuditEventsQuery): Promise<AuditEventPageDto> {
    return this.audit.list({ type: query.type, keyId: query.keyId }, query.offset, query.limit);
  }
}
