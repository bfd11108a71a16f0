import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsInstant, IsSubject } from './usage-field.decorators.js';

/** A summary always names its period, so that two callers never sum different default windows. */
export class UsageSummaryQuery {
  @ApiPropertyOptional({ description: 'Defaults to the caller; another subject needs a service token or usage-tracking:admin' })
  @IsOptional()
  @IsSubject('subject')
  subject?: string;

  @ApiProperty({ example: '2026-11-01', description: 'Inclusive' })
  @IsInstant('from')
  from!: string;

  @ApiProperty({ example: '2026-12-01', description: 'Exclusive; after from' })
  @IsInstant('to')
  to!: string;
}
