import { describe, expect, it } from '@jest/globals';
import { decodeRevocationEvent, encodeRevocationEvent, revocationChannel, revocationKey, revocationReason, type RevocationKind } from './revocation.js';

const token = { jti: 'j1', sub: 'u1', sid: 's1', client_id: 'c1', kid: 'k1', iat: 1_000 };
const state = (entries: Array<[RevocationKind, string, number]>) => (kind: RevocationKind, value: string) =>
  entries.find(([k, v]) => k === kind && v === value)?.[2];

describe('revocation state', () => {
  it('names keys and the channel under a namespace', () => {
    expect(revocationKey('sso:', 'jti')).toBe('sso:revoked:jti');
    expect(revocationChannel('test-7:')).toBe('test-7:revocations');
  });

  it('round-trips events and rejects anything malformed', () => {
    const encoded = encodeRevocationEvent({ kind: 'sid', value: 's1', score: 1_000 });
    expect(decodeRevocationEvent(encoded)).toEqual({ v: 1, kind: 'sid', value: 's1', score: 1_000 });
    for (const bad of ['', 'nope', '[]', '{"v":2,"kind":"sid","value":"s","score":1}', '{"v":1,"kind":"user","value":"s","score":1}', '{"v":1,"kind":"sid","value":"","score":1}', '{"v":1,"kind":"sid","value":"s","score":"1"}']) {
      expect(decodeRevocationEvent(bad)).toBeUndefined();
    }
  });

  it('revokes by jti and kid whatever the time, and by cut-off only tokens issued up to it', () => {
    expect(revocationReason(token, state([]))).toBeUndefined();
    expect(revocationReason(token, state([['jti', 'j1', 2_000]]))).toBe('jti');
    expect(revocationReason(token, state([['kid', 'k1', 5]]))).toBe('kid');
    for (const kind of ['sub', 'sid', 'client'] as const) {
      const value = { sub: 'u1', sid: 's1', client: 'c1' }[kind];
      expect(revocationReason(token, state([[kind, value, 1_000]]))).toBe(kind);
      expect(revocationReason(token, state([[kind, value, 999]]))).toBeUndefined();
      expect(revocationReason(token, state([[kind, 'someone-else', 5_000]]))).toBeUndefined();
    }
    expect(revocationReason({ ...token, sid: undefined }, state([['sid', 's1', 5_000]]))).toBeUndefined();
  });
});
