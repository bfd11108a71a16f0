import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { PERIOD_PATTERN } from '../billing-period.js';
import { SUBJECT_PATTERN } from '../subject-pattern.js';

export class ListInvoicesQuery {
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

  @ApiPropertyOptional({ description: 'Only this subject (a user always sees only its own)' })
  @IsOptional()
  @IsString()
  @Matches(SUBJECT_PATTERN, { message: 'subject must be 1 to 255 printable ASCII characters without spaces' })
  subject?: string;

  @ApiPropertyOptional({ example: '2026-10' })
  @IsOptional()
  @IsString()
  @Matches(PERIOD_PATTERN, { message: 'period must be YYYY-MM' })
  period?: string;
}
