import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@sso/platform';
import { IsOptional } from 'class-validator';
import { IsInstant, IsSubject } from './usage-field.decorators.js';

/** A page of one subject's events, oldest first, optionally within [from, to). */
export class UsageEventsQuery extends PageQuery {
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
}
