import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsInstant, IsSubject } from './usage-field.decorators.js';

/** A page of one subject's events, oldest first, optionally within [from, to). */
export class UsageEventsQuery {
  @ApiPropertyOptional({ description: 'Defaults to the caller; another subject needs a service token or usage-tracking:admin' })
  @IsOptional()
  @IsSubject('subject')
  subject?: string;

  @ApiPropertyOptional({ example: '2026-11-01', description: 'Inclusive' })
  @IsOptional()
  @IsInstant('from')
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01', description: 'Exclusive' })
  @IsOptional()
  @IsInstant('to')
  to?: string;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset = 0;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;
}
