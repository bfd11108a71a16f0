import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_EVENT_TYPES, type AuditEventType } from '../audit-event.entity.js';
import type { AuditEventView } from '../audit.service.js';

export class AuditEventViewDto implements AuditEventView {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: AUDIT_EVENT_TYPES }) type!: AuditEventType;
  @ApiProperty() keyId!: string;
  @ApiProperty({ description: '`admin`, a token subject, `system`, or the service that saw a deleted key' }) actor!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
}
