import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { EVENT_ID_PATTERN, IDENTIFIER_PATTERN, MAX_QUANTITY } from '../usage-formats.js';
import { IsInstant, IsSubject } from './usage-field.decorators.js';

/** One usage event as services report it; `id` is its idempotency key (per subject). */
export class RecordUsageEventDto {
  @ApiProperty({ description: 'Idempotency key: an event already stored for this subject with this id is not counted again', example: '6f1c2a0e-6d5e-4f7e-9b7e-0d1f3c1a2b3c', pattern: EVENT_ID_PATTERN.source })
  @IsString()
  @Matches(EVENT_ID_PATTERN, { message: 'id must be 1 to 128 of A-Z a-z 0-9 . _ : -' })
  id!: string;

  @ApiProperty({ description: 'Whose usage this is (a token sub)', example: 'user-1' })
  @IsSubject('subject')
  subject!: string;

  @ApiProperty({ example: 'product', pattern: IDENTIFIER_PATTERN.source })
  @IsString()
  @Matches(IDENTIFIER_PATTERN, { message: 'service must be a lower-case identifier (a-z, 0-9, _ and -, at most 64)' })
  service!: string;

  @ApiProperty({ example: 'requests', pattern: IDENTIFIER_PATTERN.source })
  @IsString()
  @Matches(IDENTIFIER_PATTERN, { message: 'metric must be a lower-case identifier (a-z, 0-9, _ and -, at most 64)' })
  metric!: string;

  @ApiProperty({ minimum: 1, maximum: MAX_QUANTITY, example: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity!: number;

  @ApiProperty({ example: '2026-11-28T10:00:00Z' })
  @IsInstant('occurredAt')
  occurredAt!: string;
}
