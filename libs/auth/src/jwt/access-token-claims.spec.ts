import { describe, expect, it } from '@jest/globals';
import { AuthRejection } from '../auth-rejection.js';
import { checkAccessTokenClaims } from './access-token-claims.js';

const now = 1_800_000_000;
const good = { iss: 'i', aud: ['billing'], sub: 'u1', jti: 'j1', client_id: 'web', scope: 'billing:read', exp: now + 60, iat: now, nbf: now };

function reason(payload: unknown): string | undefined {
  try {
    checkAccessTokenClaims(payload, 30, now);
    return undefined;
  } catch (error) {
    return (error as AuthRejection).reason;
  }
}

describe('checkAccessTokenClaims', () => {
  it('accepts a complete token', () => expect(reason(good)).toBeUndefined());
  it.each(['exp', 'iat', 'sub', 'jti', 'client_id'])('requires %s', (name) => {
    expect(reason({ ...good, [name]: undefined })).toBe('missing_claim');
  });
  it('refuses a scope that is not a string', () => expect(reason({ ...good, scope: ['billing:read'] })).toBe('missing_claim'));
  it('refuses an iat beyond the tolerance, accepts one within', () => {
    expect(reason({ ...good, iat: now + 31 })).toBe('not_yet_valid');
    expect(reason({ ...good, iat: now + 30 })).toBeUndefined();
  });
});
