import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { PERIOD_PATTERN } from '../billing-period.js';

export class PreviewQuery {
  @ApiProperty({ example: '2026-11' })
  @IsString()
  @Matches(PERIOD_PATTERN, { message: 'period must be YYYY-MM' })
  period!: string;
}
