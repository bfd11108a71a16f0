import { describe, expect, it } from '@jest/globals';
import { resolveAuthSettings } from './auth.options.js';

const minimal = { issuer: 'http://localhost:3000/', audience: 'billing', redisUrl: 'redis://127.0.0.1:6379' };

describe('resolveAuthSettings', () => {
  it('applies the defaults', () => {
    expect(resolveAuthSettings(minimal)).toMatchObject({
      issuer: 'http://localhost:3000',
      jwksUri: 'http://localhost:3000/.well-known/jwks.json',
      tokenEndpoint: 'http://localhost:3000/oauth/token',
      algorithms: ['RS256'],
      clockToleranceSeconds: 30,
      namespace: 'sso:',
      revocationUnavailableStatus: 503,
      redisCommandTimeoutMs: 500,
      subscriberCheckIntervalMs: 5_000,
    });
  });

  it('reaches the issuer at authUrl when given, while tokens keep the public issuer', () => {
    expect(resolveAuthSettings({ ...minimal, authUrl: 'http://auth:3000/' })).toMatchObject({
      issuer: 'http://localhost:3000',
      jwksUri: 'http://auth:3000/.well-known/jwks.json',
      tokenEndpoint: 'http://auth:3000/oauth/token',
    });
    expect(resolveAuthSettings({ ...minimal, authUrl: 'http://auth:3000', jwksUri: 'http://keys.internal/jwks' }).jwksUri).toBe('http://keys.internal/jwks');
  });

  it.each([
    [{ authUrl: 'auth:3000' }, /authUrl/],
    [{ clockToleranceSeconds: 61 }, /clockToleranceSeconds/],
    [{ algorithms: ['HS256'] }, /HS256 not supported/],
    [{ algorithms: ['none'] }, /none not supported/],
    [{ algorithms: ['EdDSA'] }, /EdDSA not supported/],
    [{ algorithms: [] }, /at least one/],
    [{ redisUrl: 'http://x' }, /redisUrl/],
    [{ issuer: 'not a url' }, /issuer/],
    [{ revocationUnavailableStatus: 200 }, /revocationUnavailableStatus/],
    [{ subscriberCheckIntervalMs: 0 }, /subscriberCheckIntervalMs/],
    [{ subscriberCheckIntervalMs: 99 }, /subscriberCheckIntervalMs/],
  ])('refuses %j at start', (override, message) => {
    expect(() => resolveAuthSettings({ ...minimal, ...(override as object) })).toThrow(message);
  });
});
