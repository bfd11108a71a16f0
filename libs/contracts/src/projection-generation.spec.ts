import { describe, expect, it } from '@jest/globals';
import { decodeProjectionGeneration, encodeProjectionGeneration, projectionGenerationKey } from './projection-generation.js';

describe('projection generation markers', () => {
  it('round-trips and refuses anything incomplete', () => {
    const marker = { generation: 'g1', source: 'db-1', builtAt: 1_764_000_000_000 };
    expect(decodeProjectionGeneration(encodeProjectionGeneration(marker))).toEqual({ v: 1, ...marker });
    expect(decodeProjectionGeneration(null)).toBeUndefined();
    expect(decodeProjectionGeneration('{')).toBeUndefined();
    expect(decodeProjectionGeneration(JSON.stringify({ v: 1, generation: '', source: 'db', builtAt: 1 }))).toBeUndefined();
    expect(projectionGenerationKey('sso:', 'revocations')).toBe('sso:projection:revocations');
  });
});
