import { applyDecorators } from '@nestjs/common';
import { IsISO8601, IsString, Matches } from 'class-validator';
import { SUBJECT_MESSAGE, SUBJECT_PATTERN } from '@sso/contracts';
import { INSTANT_MESSAGE, INSTANT_PATTERN } from '../usage-formats.js';

/** A subject as a token's `sub` looks. */
export const IsSubject = (property: string) =>
  applyDecorators(IsString(), Matches(SUBJECT_PATTERN, { message: `${property} ${SUBJECT_MESSAGE}` }));

/** An instant in the accepted formats (see INSTANT_PATTERN), and a real calendar date. */
export const IsInstant = (property: string) =>
  applyDecorators(
    IsString(),
    Matches(INSTANT_PATTERN, { message: `${property} ${INSTANT_MESSAGE}` }),
    IsISO8601({ strict: true }, { message: `${property} must be a valid calendar date` }),
  );
