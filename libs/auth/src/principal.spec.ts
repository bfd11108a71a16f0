import { describe, expect, it } from '@jest/globals';
import { principalFromClaims } from './principal.js';

const base = { iss: 'http://issuer', aud: ['billing'], exp: 2, nbf: 1, iat: 1, jti: 't1', scope: 'billing:read billing:write' };

describe('principalFromClaims', () => {
  it('makes a user principal of a session token', () => {
    const who = principalFromClaims({ ...base, sub: 'u1', client_id: 'web', sid: 's1' });
    expect(who).toMatchObject({ kind: 'user', subject: 'u1', clientId: 'web', sessionId: 's1', tokenId: 't1', scopes: ['billing:read', 'billing:write'] });
  });

  it('makes a service principal of a client-credentials token', () => {
    expect(principalFromClaims({ ...base, sub: 'billing', client_id: 'billing' }).kind).toBe('service');
  });

  it('keeps the subject of an exchanged token a user and names the actor', () => {
    const who = principalFromClaims({ ...base, sub: 'u1', client_id: 'billing', act: { sub: 'billing' } });
    expect(who.kind).toBe('user');
    expect(who.actor).toEqual({ sub: 'billing' });
  });

  it('exposes the raw claims read-only', () => {
    const who = principalFromClaims({ ...base, sub: 'u1', client_id: 'web' });
    expect(Object.isFrozen(who.claims)).toBe(true);
    expect(who.claims.iss).toBe('http://issuer');
  });
});
