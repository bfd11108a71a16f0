import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional, ValidateIf } from 'class-validator';
import { IsInstant, IsSubject } from './usage-field.decorators.js';

const PERIOD_TOGETHER = 'from and to go together: give both, or neither for the current calendar month (UTC)';
const periodGiven = (query: UsageSummaryQuery) => query.from !== undefined || query.to !== undefined;

/** A period [from, to), or none: the current calendar month (UTC), the period billing invoices. */
export class UsageSummaryQuery {
  @ApiPropertyOptional({ description: 'Defaults to the caller; another subject needs a service token or usage-tracking:admin' })
  @IsOptional()
  @IsSubject('subject')
  subject?: string;

  @ApiPropertyOptional({ example: '2026-11-01', description: 'Inclusive; with to, or neither for the current calendar month (UTC)' })
  @ValidateIf(periodGiven)
  @IsDefined({ message: PERIOD_TOGETHER })
  @IsInstant('from')
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01', description: 'Exclusive, after from; with from, or neither' })
  @ValidateIf(periodGiven)
  @IsDefined({ message: PERIOD_TOGETHER })
  @IsInstant('to')
  to?: string;
}
