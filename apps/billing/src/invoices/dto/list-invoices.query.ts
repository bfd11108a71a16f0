import { ApiPropertyOptional } from '@nestjs/swagger';
import { SUBJECT_MESSAGE, SUBJECT_PATTERN } from '@sso/contracts';
import { PageQuery } from '@sso/platform';
import { IsOptional, IsString, Matches } from 'class-validator';
import { PERIOD_PATTERN } from '../billing-period.js';

export class ListInvoicesQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only this subject (a user always sees only its own)' })
  @IsOptional()
  @IsString()
  @Matches(SUBJECT_PATTERN, { message: `subject ${SUBJECT_MESSAGE}` })
  subject?: string;

  @ApiPropertyOptional({ example: '2026-10' })
  @IsOptional()
  @IsString()
  @Matches(PERIOD_PATTERN, { message: 'period must be YYYY-MM' })
  period?: string;
}
