import { ApiProperty } from '@nestjs/swagger';
import type { UsageEventView } from '../usage.service.js';

export class UsageEventViewDto implements UsageEventView {
  @ApiProperty() id!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() service!: string;
  @ApiProperty() metric!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
}
