import { describe, expect, it } from '@jest/globals';
import { HttpException } from '@nestjs/common';
import { noneMatch, writePrecondition } from './preconditions.js';

const refusal = (run: () => unknown): { status: number; code?: string } => {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpException) return { status: error.getStatus(), code: (error.getResponse() as { code?: string }).code };
    throw error;
  }
  throw new Error('accepted');
};

describe('writePrecondition', () => {
  it('reads no header as create-only, If-None-Match: * as create-only-or-412, If-Match as a revision list', () => {
    expect(writePrecondition(undefined, undefined)).toEqual({ kind: 'none' });
    expect(writePrecondition(undefined, ' * ')).toEqual({ kind: 'if-none-match-any' });
    expect(writePrecondition('*', undefined)).toEqual({ kind: 'if-match', revisions: '*' });
    expect(writePrecondition('"abc", "d-e_f"', undefined)).toEqual({ kind: 'if-match', revisions: ['abc', 'd-e_f'] });
  });

  it('never matches a weak tag in If-Match (strong comparison)', () => {
    expect(writePrecondition('W/"abc", "def"', undefined)).toEqual({ kind: 'if-match', revisions: ['def'] });
    expect(writePrecondition('W/"abc"', undefined)).toEqual({ kind: 'if-match', revisions: [] });
  });

  it.each([
    ['abc', undefined],
    ['"abc", ', undefined],
    ['"a"b"', undefined],
    ['*', '*'],
    [undefined, '"abc"'],
  ])('refuses If-Match %j with If-None-Match %j as invalid_precondition', (ifMatch, ifNoneMatch) => {
    expect(refusal(() => writePrecondition(ifMatch, ifNoneMatch))).toEqual({ status: 400, code: 'invalid_precondition' });
  });
});

describe('noneMatch', () => {
  it('compares weakly and honours *', () => {
    expect(noneMatch(undefined, 'abc')).toBe(false);
    expect(noneMatch('*', 'abc')).toBe(true);
    expect(noneMatch('W/"abc"', 'abc')).toBe(true);
    expect(noneMatch('"x", "abc"', 'abc')).toBe(true);
    expect(noneMatch('"x"', 'abc')).toBe(false);
  });
});
