import { describe, expect, it } from '@jest/globals';
import { OAuthError } from './oauth-error.js';
import { allScopes, grantedScopes } from './scope-request.js';

describe('grantedScopes', () => {
  const allowed = ['billing:read', 'billing:write', 'settings:read'];

  it('grants everything allowed when nothing is asked for', () => {
    expect(grantedScopes(undefined, allowed)).toEqual(allowed);
    expect(grantedScopes('', allowed)).toEqual(allowed);
  });

  it('grants exactly what is asked for, once each', () => {
    expect(grantedScopes('settings:read  billing:read settings:read', allowed)).toEqual(['settings:read', 'billing:read']);
  });

  it('refuses anything not allowed with invalid_scope, and non-strings with invalid_request', () => {
    expect(() => grantedScopes('billing:admin', allowed)).toThrow(expect.objectContaining({ error: 'invalid_scope' }) as unknown as OAuthError);
    expect(() => grantedScopes(['billing:read'], allowed)).toThrow(expect.objectContaining({ error: 'invalid_request' }) as unknown as OAuthError);
  });

  it('lists every scope of the audiences', () => {
    expect(allScopes(['auth', 'billing'])).toEqual(['auth:read', 'auth:write', 'auth:admin', 'billing:read', 'billing:write', 'billing:admin']);
  });
});
