import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';

export const SUBJECT_PATTERN = /^[\x21-\x7E]{1,255}$/;

/** Whose settings: the caller by default; another subject needs a service token or settings:admin. */
export class SubjectQuery {
  @ApiPropertyOptional({ description: 'Defaults to the caller; another subject needs a service token or settings:admin' })
  @IsOptional()
  @IsString()
  @Matches(SUBJECT_PATTERN, { message: 'subject must be 1 to 255 printable ASCII characters without spaces' })
  subject?: string;
}
