import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ApiPageResponse, PageQuery, pageOf, type Page } from '@sso/platform';
import { IsDate, IsOptional, IsString, MaxLength } from 'class-validator';
import { RequireToken } from '../access/require-token.decorator.js';
import type { AuditEvent } from './audit-event.entity.js';
import { AuditService } from './audit.service.js';

class AuditQueryDto extends PageQuery {
  @ApiPropertyOptional({ example: 'login.failed' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  type?: string;

  @ApiPropertyOptional({ description: 'user id, client id, session id or kid' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  subject?: string;

  @ApiPropertyOptional({ description: 'only events older than this (ISO 8601): a stable starting point while new events arrive' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  before?: Date;
}

@ApiTags('admin')
@ApiBearerAuth()
@RequireToken('auth:admin')
@Controller('admin/audit-events')
export class AdminAuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Audit events, newest first, filtered by type and subject' })
  @ApiPageResponse()
  async list(@Query() query: AuditQueryDto): Promise<Page<AuditEvent>> {
    const [events, total] = await this.audit.list(query);
    return pageOf(events, total, query);
  }
}
