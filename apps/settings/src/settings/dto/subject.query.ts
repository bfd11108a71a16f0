import { ApiPropertyOptional } from '@nestjs/swagger';
import { SUBJECT_MESSAGE, SUBJECT_PATTERN } from '@sso/contracts';
import { IsOptional, IsString, Matches } from 'class-validator';

/** Whose settings: the caller by default; another subject needs a service token or settings:admin. */
export class SubjectQuery {
  @ApiPropertyOptional({ description: 'Defaults to the caller; another subject needs a service token or settings:admin' })
  @IsOptional()
  @IsString()
  @Matches(SUBJECT_PATTERN, { message: `subject ${SUBJECT_MESSAGE}` })
  subject?: string;
}
