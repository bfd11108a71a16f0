import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@sso/platform';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { AUDIT_EVENT_TYPES, type AuditEventType } from '../audit-event.entity.js';

/** `?type=&keyId=&offset=&limit=`: a page of the audit trail, newest first. */
export class AuditEventsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: AUDIT_EVENT_TYPES })
  @IsOptional()
  @IsIn(AUDIT_EVENT_TYPES, { message: `type must be one of ${AUDIT_EVENT_TYPES.join(', ')}` })
  type?: AuditEventType;

  @ApiPropertyOptional({ description: 'The key id (keyId of GET /1/keys answers)' })
  @IsOptional()
  @IsUUID('all', { message: 'keyId must be a key id (a UUID)' })
  keyId?: string;
}
