import { ApiProperty } from '@nestjs/swagger';
import type { RecordResult } from '../usage.service.js';

export class RecordUsageResultDto implements RecordResult {
  @ApiProperty({ description: 'Events stored by this request' })
  accepted!: number;

  @ApiProperty({ description: 'Events whose (subject, id) was already stored, or repeated within the request: not counted again' })
  duplicates!: number;
}
