import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startRedisServer, waitFor, type TestRedisServer } from '@sso/testing';
import { createClient } from 'redis';
import { startEcosystem, type Ecosystem } from './ecosystem.js';

type Expect = 'accepted' | 'refused';

interface Credential {
  name: string;
  expect: Expect;
  /** One request at one service: the status it got. */
  call(service: string): Promise<number>;
}

const SERVICES = ['billing', 'usage-tracking', 'settings', 'product'] as const;
const READS: Record<(typeof SERVICES)[number], string> = {
  billing: '/invoices',
  'usage-tracking': '/usage/summary?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z',
  settings: '/settings',
  product: '/products',
};

/**
 * Redis loses what it holds (restarted empty, flushed while connected, frozen) while valid and
 * revoked credentials keep arriving at all four resource services: no revoked token, token of
 * a deleted signing key or deleted API key may be accepted at any moment, and valid ones must
 * work again within seconds of Redis returning, without restarting anything.
 */
describe('the ecosystem when Redis forgets (a redis-server of its own, under load)', () => {
  let redis: TestRedisServer;
  let eco: Ecosystem;
  const credentials: Credential[] = [];
  /** phase → credential → status → count */
  const tally = new Map<string, Map<string, Map<number, number>>>();
  let phase = 'steady';
  let loading = false;
  let load: Promise<void> | undefined;

  const post = async (path: string, body: unknown, token?: string) =>
    fetch(`${eco.urls.auth}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  const login = async (username: string, password: string) => ((await (await post('/auth/login', { username, password })).json()) as { access_token: string }).access_token;
  const bearer = (name: string, token: string, expect: Expect): Credential => ({
    name,
    expect,
    call: async (service) => (await fetch(`${eco.urls[service]}${READS[service as keyof typeof READS]}`, { headers: { authorization: `Bearer ${token}` } })).status,
  });
  const apiKey = (name: string, key: string, expect: Expect): Credential => ({
    name,
    expect,
    call: async () => (await fetch(`${eco.urls.product}/products`, { headers: { 'x-algolia-api-key': key, 'x-algolia-application-id': 'SSODEMO' } })).status,
  });
  const count = (credential: Credential, status: number) => {
    const byCredential = tally.get(phase) ?? new Map<string, Map<number, number>>();
    tally.set(phase, byCredential);
    const byStatus = byCredential.get(credential.name) ?? new Map<number, number>();
    byCredential.set(credential.name, byStatus);
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  };
  const accepted = (status: number) => status >= 200 && status < 300;
  /** Refused credentials that were accepted, in any phase so far. */
  const breaches = () =>
    [...tally].flatMap(([name, byCredential]) =>
      [...byCredential].flatMap(([credential, byStatus]) =>
        credentials.find((each) => each.name === credential)?.expect === 'refused' ? [...byStatus].filter(([status]) => accepted(status)).map(([status, n]) => `${name}/${credential}: ${n}×${status}`) : [],
      ),
    );
  const everyValidWorks = async () => {
    for (const credential of credentials.filter((each) => each.expect === 'accepted')) {
      for (const service of credential.name.startsWith('key') ? ['product'] : SERVICES) if (!accepted(await credential.call(service))) return false;
    }
    return true;
  };
  const startLoad = () => {
    loading = true;
    load = Promise.all(
      Array.from({ length: 6 }, async (_, worker) => {
        for (let round = worker; loading; round++) {
          const credential = credentials[round % credentials.length];
          const service = credential.name.startsWith('key') ? 'product' : SERVICES[Math.floor(round / credentials.length) % SERVICES.length];
          count(credential, await credential.call(service).catch(() => 0));
        }
      }),
    ).then(() => undefined);
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    eco = await startEcosystem({ REDIS_URL: redis.url, AUTH_PROJECTION_CHECK_INTERVAL_MS: '500', API_KEYS_PROJECTION_CHECK_INTERVAL_MS: '500' });
    let admin = await login('admin', eco.adminPassword);
    const scopes = ['billing:read', 'usage-tracking:read', 'settings:read', 'product:read'];
    for (const username of ['alice', 'bob']) expect((await post('/admin/users', { username, password: `${username}-password-1`, scopes }, admin)).status).toBe(201);

    // A token signed by a key that is then deleted: rotate, delete the old key.
    const oldKeyToken = await login('alice', 'alice-password-1');
    expect((await post('/admin/signing-keys/rotate', {}, admin)).status).toBe(201);
    const { items: signingKeys } = (await (await fetch(`${eco.urls.auth}/admin/signing-keys`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { items: Array<{ kid: string; state: string }> };
    const oldKid = signingKeys.find((key) => key.state === 'retiring')?.kid;
    expect(oldKid).toBeDefined();
    expect((await fetch(`${eco.urls.auth}/admin/signing-keys/${oldKid}`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } })).status).toBeLessThan(300);
    admin = await login('admin', eco.adminPassword);

    const valid = await login('alice', 'alice-password-1');
    const loggedOut = await login('alice', 'alice-password-1');
    expect((await fetch(`${eco.urls.auth}/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${loggedOut}` } })).status).toBe(204);
    const userRevoked = await login('bob', 'bob-password-1');
    const bob = ((await (await fetch(`${eco.urls.auth}/admin/users`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { items: Array<{ id: string; username: string }> }).items.find((user) => user.username === 'bob');
    expect((await post(`/admin/users/${bob?.id}/revoke`, {}, admin)).status).toBe(204);

    const keyApi = (method: string, path: string, body?: unknown) =>
      fetch(`${eco.urls['api-keys']}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: body === undefined ? undefined : JSON.stringify(body) });
    const newKey = async () => ((await (await keyApi('POST', '/1/keys', { acl: ['search'] })).json()) as { key: string }).key;
    const [liveKey, deletedKey, changedKey] = [await newKey(), await newKey(), await newKey()];
    expect((await keyApi('DELETE', `/1/keys/${deletedKey}`)).status).toBe(200);
    expect((await keyApi('PUT', `/1/keys/${changedKey}`, { acl: ['addObject'] })).status).toBe(200);

    credentials.push(
      bearer('valid token', valid, 'accepted'),
      bearer('logged-out token', loggedOut, 'refused'),
      bearer('token of a revoked user', userRevoked, 'refused'),
      bearer('token of a deleted signing key', oldKeyToken, 'refused'),
      apiKey('key: live', liveKey, 'accepted'),
      apiKey('key: deleted', deletedKey, 'refused'),
      apiKey('key: search removed', changedKey, 'refused'),
    );
    await waitFor(everyValidWorks, 'every valid credential to work', 10_000, 100);
    startLoad();
  }, 180_000);

  afterAll(async () => {
    loading = false;
    await load;
    const lines = [...tally].flatMap(([name, byCredential]) => [...byCredential].map(([credential, byStatus]) => `${name.padEnd(10)} ${credential.padEnd(32)} ${[...byStatus].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join('  ')}`));
    process.stdout.write(`\nRequests by phase, credential and status (0: no answer):\n${lines.join('\n')}\nValid credentials working again (from Redis back): ${recoveries.join(', ')}\n`);
    await eco?.close();
    await redis?.stop();
  }, 60_000);

  /** How long valid credentials took to work again after each phase (printed with the tally). */
  const recoveries: string[] = [];
  const recovers = async (name: string) => {
    phase = `${name}:wait`;
    const started = Date.now();
    await waitFor(everyValidWorks, `valid credentials to work again after ${name}`, 30_000, 100);
    recoveries.push(`${name}: ${Date.now() - started} ms`);
    phase = `${name}:after`;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(breaches()).toEqual([]);
  };

  it('accepts nothing revoked before Redis is touched', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(breaches()).toEqual([]);
    expect(tally.get('steady')?.get('valid token')?.get(200)).toBeGreaterThan(0);
  });

  it('restarted empty: nothing revoked is accepted, and valid credentials work again within seconds', async () => {
    phase = 'restart';
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await redis.start();
    await recovers('restart');
  });

  it('flushed while connected: the same', async () => {
    phase = 'flush';
    const client = createClient({ url: redis.url, RESP: 2 });
    await client.connect();
    await client.flushAll();
    await client.close();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await recovers('flush');
  });

  it('frozen, then continued: the same', async () => {
    phase = 'freeze';
    redis.pause();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    redis.resume();
    await recovers('freeze');
  });
});
