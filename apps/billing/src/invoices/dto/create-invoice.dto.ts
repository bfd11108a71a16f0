import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SUBJECT_MESSAGE, SUBJECT_PATTERN } from '@sso/contracts';
import { IsOptional, IsString, Matches } from 'class-validator';
import { PERIOD_PATTERN } from '../billing-period.js';

export class CreateInvoiceDto {
  @ApiPropertyOptional({ description: 'Whom to bill; the caller when omitted. A user may bill only itself.' })
  @IsOptional()
  @IsString()
  @Matches(SUBJECT_PATTERN, { message: `subject ${SUBJECT_MESSAGE}` })
  subject?: string;

  @ApiProperty({ example: '2026-10', description: 'A calendar month in UTC' })
  @IsString()
  @Matches(PERIOD_PATTERN, { message: 'period must be YYYY-MM' })
  period!: string;
}
