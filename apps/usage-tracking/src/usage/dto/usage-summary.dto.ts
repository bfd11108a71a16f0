import { ApiProperty } from '@nestjs/swagger';
import type { UsageSummary } from '../usage.service.js';

export class UsageSummaryDto implements UsageSummary {
  @ApiProperty()
  subject!: string;

  @ApiProperty({ example: '2026-11-01T00:00:00.000Z', description: 'Inclusive' })
  from!: string;

  @ApiProperty({ example: '2026-12-01T00:00:00.000Z', description: 'Exclusive' })
  to!: string;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { 'product.requests': 1250 }, description: 'Total quantity per "<service>.<metric>"; metrics without events are absent' })
  metrics!: Record<string, number>;
}
