import { describe, expect, it } from '@jest/globals';
import { containsPattern } from './like-pattern.js';

describe('containsPattern', () => {
  it.each([
    ['Cotton', '%cotton%'],
    ['100%', '%100\\%%'],
    ['snake_case', '%snake\\_case%'],
    ['back\\slash', '%back\\\\slash%'],
  ])('%s becomes %s', (text, pattern) => {
    expect(containsPattern(text)).toBe(pattern);
  });
});
