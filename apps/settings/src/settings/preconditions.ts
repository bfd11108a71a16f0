import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';

/** What a write requires of the current document (RFC 9110 §13). */
export type WritePrecondition =
  /** No header: create only; an existing document needs If-Match (428). */
  | { kind: 'none' }
  /** If-Match: the current revision is one of these ('*': any document exists). */
  | { kind: 'if-match'; revisions: '*' | string[] }
  /** If-None-Match: *: create only (412 when it exists). */
  | { kind: 'if-none-match-any' };

const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7E]*)"$/;

export const etagOf = (revision: string): string => `"${revision}"`;

export function writePrecondition(ifMatch: string | undefined, ifNoneMatch: string | undefined): WritePrecondition {
  if (ifMatch !== undefined && ifNoneMatch !== undefined) throw invalidPrecondition('send either If-Match or If-None-Match, not both');
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*') throw invalidPrecondition('on a write, If-None-Match supports only *');
    return { kind: 'if-none-match-any' };
  }
  if (ifMatch === undefined) return { kind: 'none' };
  if (ifMatch.trim() === '*') return { kind: 'if-match', revisions: '*' };
  // If-Match compares strongly: a weak tag never matches (RFC 9110 §13.1.1).
  return { kind: 'if-match', revisions: entityTags(ifMatch).filter((tag) => !tag.weak).map((tag) => tag.opaque) };
}

/** If-None-Match on a read compares weakly: W/"x" matches "x". */
export function noneMatch(ifNoneMatch: string | undefined, revision: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return entityTags(ifNoneMatch).some((tag) => tag.opaque === revision);
}

export function preconditionFailed(): HttpException {
  return new HttpException({ message: 'the document changed (or does not exist): read it again for its current ETag', code: 'precondition_failed', error: 'Precondition Failed' }, HttpStatus.PRECONDITION_FAILED);
}

export function preconditionRequired(): HttpException {
  return new HttpException(
    { message: 'the document exists: send If-Match with its ETag to change it (or If-Match: * to overwrite it)', code: 'precondition_required', error: 'Precondition Required' },
    HttpStatus.PRECONDITION_REQUIRED,
  );
}

function entityTags(header: string): Array<{ weak: boolean; opaque: string }> {
  return header.split(',').map((part) => {
    const match = ENTITY_TAG.exec(part.trim());
    if (!match) throw invalidPrecondition(`${part.trim() || 'an empty value'} is not an entity tag ("…" or W/"…")`);
    return { weak: match[1] !== undefined, opaque: match[2] };
  });
}

function invalidPrecondition(message: string): BadRequestException {
  return new BadRequestException({ message: [message], code: 'invalid_precondition', error: 'Bad Request' });
}
