import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { RequireToken } from '../access/require-token.decorator.js';
import type { AuditEvent } from './audit-event.entity.js';
import { AuditService } from './audit.service.js';

class AuditQueryDto {
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

  @ApiPropertyOptional({ description: 'only events older than this (ISO 8601), for paging' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  before?: Date;

  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 50;
}

@ApiTags('admin')
@ApiBearerAuth()
@RequireToken('auth:admin')
@Controller('admin/audit-events')
export class AdminAuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Audit events, newest first, filtered by type and subject' })
  async list(@Query() query: AuditQueryDto): Promise<{ items: AuditEvent[] }> {
    return { items: await this.audit.list(query) };
  }
}
