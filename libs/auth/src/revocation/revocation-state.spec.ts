import { describe, expect, it } from '@jest/globals';
import { revocationReason } from '@sso/contracts';
import { RevocationState } from './revocation-state.js';

const token = { jti: 'j1', sub: 'u1', sid: 's1', client_id: 'web', kid: 'k1', iat: 100 };

describe('RevocationState', () => {
  it('answers revocationReason from memory', () => {
    const state = new RevocationState();
    expect(revocationReason(token, state.lookup)).toBeUndefined();
    state.apply({ kind: 'sid', value: 's1', score: 100 });
    expect(revocationReason(token, state.lookup)).toBe('sid');
    expect(revocationReason({ ...token, iat: 101 }, state.lookup)).toBeUndefined();
  });

  it('keeps the later of two cut-offs whatever their order of arrival', () => {
    const state = new RevocationState();
    state.apply({ kind: 'sub', value: 'u1', score: 200 });
    state.apply({ kind: 'sub', value: 'u1', score: 150 });
    expect(state.lookup('sub', 'u1')).toBe(200);
  });

  it('prunes only expired jti entries', () => {
    const state = new RevocationState();
    state.apply({ kind: 'jti', value: 'old', score: 10 });
    state.apply({ kind: 'jti', value: 'live', score: 1_000 });
    state.apply({ kind: 'sub', value: 'u1', score: 10 });
    state.pruneExpired(500);
    expect([state.lookup('jti', 'old'), state.lookup('jti', 'live'), state.lookup('sub', 'u1')]).toEqual([undefined, 1_000, 10]);
  });
});
