import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { resolveAuthSettings, TokenVerifier } from '@sso/auth';
import { SIGNING_ALGORITHMS } from '@sso/contracts';
import { TEST_REDIS_URL } from '@sso/testing';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { DataSource } from 'typeorm';
import { SigningKey } from '../src/keys/signing-key.entity.js';
import { SigningKeysService } from '../src/keys/signing-keys.service.js';
import { loadAuthConfig } from '../src/config.js';
import { ADMIN_PASSWORD, bearer, startAuth, type AuthHarness } from './auth-harness.js';

interface Jwks {
  keys: Array<{ kid: string; alg: string; use: string; d?: string }>;
}

describe('signing keys', () => {
  let auth: AuthHarness;
  let adminToken: string;
  const jwks = async () => (await (await fetch(`${auth.url}/.well-known/jwks.json`)).json()) as Jwks;
  const keys = () => auth.app.get(DataSource).getRepository(SigningKey);
  const token = async () => ((await (await auth.login('admin', ADMIN_PASSWORD)).json()) as { access_token: string }).access_token;
  /** A verifier that has never seen the JWKS before, as a new service would be. */
  const freshVerify = (jwt: string) => jwtVerify(jwt, createRemoteJWKSet(new URL(`${auth.url}/.well-known/jwks.json`)), { issuer: auth.url, typ: 'at+jwt' });

  beforeAll(async () => {
    auth = await startAuth({ AUTH_KEY_ROTATION_DAYS: '30' });
    adminToken = await auth.adminToken();
  });
  afterAll(() => auth?.close());

  it('publishes the active key and the next one, with cache headers that suit rotation', async () => {
    const response = await fetch(`${auth.url}/.well-known/jwks.json`);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300, stale-while-revalidate=60');
    const { keys: published } = (await response.json()) as Jwks;
    const stored = await keys().find();
    expect(published.map((key) => key.kid).sort()).toEqual(stored.map((key) => key.kid).sort());
    expect(stored.map((key) => key.state).sort()).toEqual(['active', 'next']);
    for (const key of published) {
      expect(key).toMatchObject({ alg: 'RS256', use: 'sig', kty: 'RSA' });
      expect(key.d).toBeUndefined();
    }
    expect(decodeProtectedHeader(await token()).kid).toBe(stored.find((key) => key.state === 'active')!.kid);
  });

  it('stores private keys encrypted, never as PEM or JWK', async () => {
    for (const key of await keys().find()) {
      expect(key.encryptedPrivateKey).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(key.encryptedPrivateKey).not.toMatch(/BEGIN|"d"/);
      expect(JSON.stringify(key.publicJwk)).not.toContain('"d"');
    }
  });

  it('rotates: the next key signs, a token from before still verifies, and the old key is retiring', async () => {
    const before = await token();
    const nextKid = (await keys().findOneByOrFail({ state: 'next' })).kid;
    const oldKid = decodeProtectedHeader(before).kid;
    const rotated = await fetch(`${auth.url}/admin/signing-keys/rotate`, { method: 'POST', headers: bearer(adminToken) });
    expect(rotated.status).toBe(201);
    expect(await rotated.json()).toEqual({ kid: nextKid });

    const after = await token();
    expect(decodeProtectedHeader(after).kid).toBe(nextKid);
    await expect(freshVerify(before)).resolves.toBeDefined();
    await expect(freshVerify(after)).resolves.toBeDefined();
    const states = Object.fromEntries((await keys().find()).map((key) => [key.kid, key.state]));
    expect(states[oldKid!]).toBe('retiring');
    expect(Object.values(states).sort()).toEqual(['active', 'next', 'retiring']);
    const listed = await (await fetch(`${auth.url}/admin/signing-keys`, { headers: bearer(adminToken) })).text();
    expect(listed).not.toContain('encryptedPrivateKey');
  });

  it('drops a retiring key from the JWKS by itself once its last token has expired', async () => {
    const retiring = await keys().findOneByOrFail({ state: 'retiring' });
    expect((await jwks()).keys.map((key) => key.kid)).toContain(retiring.kid);
    await keys().update({ kid: retiring.kid }, { removeAfter: new Date(Date.now() - 1_000) });
    expect((await jwks()).keys.map((key) => key.kid)).not.toContain(retiring.kid);
    expect((await keys().findOneByOrFail({ kid: retiring.kid })).state).toBe('removed');
  });

  it('rotates by itself when the active key is older than the rotation period', async () => {
    const active = await keys().findOneByOrFail({ state: 'active' });
    await keys().update({ kid: active.kid }, { activatedAt: new Date(Date.now() - 31 * 86_400_000) });
    await auth.app.get(SigningKeysService).maintain();
    expect((await keys().findOneByOrFail({ kid: active.kid })).state).toBe('retiring');
    const { items } = (await (await fetch(`${auth.url}/admin/audit-events?type=signing_key.rotated`, { headers: bearer(adminToken) })).json()) as { items: Array<{ actor: string }> };
    expect(items[0].actor).toBe('automatic-rotation');
  });

  it('deletes a key in an emergency: its tokens fail for a verifier using the JWKS and here, new tokens work', async () => {
    const doomed = await token();
    const kid = decodeProtectedHeader(doomed).kid!;
    const deleted = await fetch(`${auth.url}/admin/signing-keys/${kid}`, { method: 'DELETE', headers: bearer(adminToken) });
    expect(deleted.status).toBe(204);
    expect((await jwks()).keys.map((key) => key.kid)).not.toContain(kid);
    await expect(freshVerify(doomed)).rejects.toThrow(/no applicable key found in the JSON Web Key Set/);
    expect((await fetch(`${auth.url}/userinfo`, { headers: bearer(doomed) })).status).toBe(401);
    expect(await auth.redis.zScore(`${auth.testEnv.namespace}revoked:kid`, kid)).not.toBeNull();

    const fresh = await token();
    expect(decodeProtectedHeader(fresh).kid).not.toBe(kid);
    await expect(freshVerify(fresh)).resolves.toBeDefined();
    expect((await fetch(`${auth.url}/admin/signing-keys/${kid}`, { method: 'DELETE', headers: bearer(await token()) })).status).toBe(404);
  });
});

describe.each(SIGNING_ALGORITHMS.filter((algorithm) => algorithm !== 'RS256'))('signing with %s', (algorithm) => {
  let auth: AuthHarness;
  beforeAll(async () => {
    auth = await startAuth({ AUTH_SIGNING_ALGORITHM: algorithm });
  });
  afterAll(() => auth?.close());

  it('issues tokens that a JWKS verifier accepts', async () => {
    const tokens = (await (await auth.login('admin', ADMIN_PASSWORD)).json()) as { access_token: string };
    expect(decodeProtectedHeader(tokens.access_token).alg).toBe(algorithm);
    expect(await auth.verify(tokens.access_token, 'auth')).toMatchObject({ iss: auth.url });
    const discovery = (await (await fetch(`${auth.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery.id_token_signing_alg_values_supported).toEqual([algorithm]);
  });

  it('issues tokens that the guard library verifies, as every service of the ecosystem does', async () => {
    const tokens = (await (await auth.login('admin', ADMIN_PASSWORD)).json()) as { access_token: string };
    const guard = new TokenVerifier(resolveAuthSettings({ issuer: auth.url, audience: 'billing', redisUrl: TEST_REDIS_URL, algorithms: [...SIGNING_ALGORITHMS] }));
    try {
      expect((await guard.verify(tokens.access_token)).verified.principal.claims).toMatchObject({ iss: auth.url, aud: expect.arrayContaining(['billing']) });
    } finally {
      guard.close();
    }
  });
});

describe('an algorithm outside the ecosystem set', () => {
  it('stops the issuer at start, naming the setting (no guard could verify its tokens)', () => {
    const env = { AUTH_ADMIN_PASSWORD: 'admin-password-x', AUTH_KEY_ENCRYPTION_SECRET: 'key-encryption-x', API_KEYS_ENCRYPTION_SECRET: 'api-keys-secret-x' };
    expect(() => loadAuthConfig({ ...env, AUTH_SIGNING_ALGORITHM: 'EdDSA' })).toThrow(/AUTH_SIGNING_ALGORITHM/);
    expect(() => loadAuthConfig({ ...env, AUTH_SIGNING_ALGORITHM: 'HS256' })).toThrow(/AUTH_SIGNING_ALGORITHM/);
  });
});

describe('signing keys that cannot be read', () => {
  let auth: AuthHarness;
  beforeAll(async () => {
    auth = await startAuth();
  });
  afterAll(() => auth?.close());

  it('answer 503 signing_keys_unavailable, not a verdict on the token, and the same token works once they can', async () => {
    const token = ((await (await auth.login('admin', ADMIN_PASSWORD)).json()) as { access_token: string }).access_token;
    const database = auth.app.get(DataSource);
    // A real failure of the database under the verifier, before it has looked this key up.
    await database.query('ALTER TABLE signing_keys RENAME TO signing_keys_away');
    try {
      const refused = await fetch(`${auth.url}/userinfo`, { headers: bearer(token) });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(await refused.json()).toMatchObject({ code: 'signing_keys_unavailable' });
    } finally {
      await database.query('ALTER TABLE signing_keys_away RENAME TO signing_keys');
    }
    expect((await fetch(`${auth.url}/userinfo`, { headers: bearer(token) })).status).toBe(200);
  });
});
