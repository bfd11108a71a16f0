import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { JwksKeyStore, JwksUnavailableError } from './jwks-key-store.js';

describe('JwksKeyStore', () => {
  let server: Server;
  let uri: string;
  let keys: JWK[] = [];
  let fetches = 0;
  let up = true;

  beforeAll(async () => {
    server = createServer((_request, response) => {
      fetches += 1;
      if (!up) return void response.writeHead(500).end();
      response.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const store = (refetchIntervalMs = 60_000) => new JwksKeyStore({ jwksUri: uri, algorithms: ['RS256', 'ES256'], refetchIntervalMs, maxAgeMs: 600_000, timeoutMs: 1_000 });
  const jwkOf = async (alg: 'RS256' | 'ES256', extra: Partial<JWK> = {}) => {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
    return { publicJwk: { ...(await exportJWK(publicKey)), ...extra }, privateJwk: { ...(await exportJWK(privateKey)), ...extra } };
  };

  it('imports each kid once, binds it to one algorithm and keeps the KeyObject across refetches', async () => {
    const rsa = await jwkOf('RS256', { kid: 'r1', alg: 'RS256' });
    const ec = await jwkOf('ES256', { kid: 'e1' });
    keys = [rsa.publicJwk, ec.publicJwk];
    const jwks = store(0);
    const first = await jwks.keyFor('r1');
    expect(first).toMatchObject({ kid: 'r1', algorithm: 'RS256' });
    expect(first?.key.type).toBe('public');
    expect(await jwks.keyFor('e1')).toMatchObject({ algorithm: 'ES256' });
    await jwks.keyFor('unknown');
    expect(await jwks.keyFor('r1')).toBe(first);
  });

  it('never yields a private key, and skips encryption keys and algorithms outside the allow-list', async () => {
    const leaked = await jwkOf('RS256', { kid: 'leaked' });
    const encryption = await jwkOf('RS256', { kid: 'enc', use: 'enc' });
    const other = await jwkOf('RS256', { kid: 'ps', alg: 'PS256' });
    keys = [leaked.privateJwk, encryption.publicJwk, other.publicJwk];
    const jwks = store(0);
    expect((await jwks.keyFor('leaked'))?.key.type).toBe('public');
    expect(await jwks.keyFor('enc')).toBeUndefined();
    expect(await jwks.keyFor('ps')).toBeUndefined();
  });

  it('refetches at most once per interval, with one fetch in flight, whatever the unknown kids', async () => {
    keys = [(await jwkOf('RS256', { kid: 'r1' })).publicJwk];
    const jwks = store(60_000);
    const before = fetches;
    await Promise.all(Array.from({ length: 200 }, (_, index) => jwks.keyFor(`random-${index}`)));
    await jwks.keyFor('another');
    expect(fetches - before).toBe(1);
  });

  it('reports the JWKS unavailable when it cannot fetch a key it does not know', async () => {
    up = false;
    await expect(store(0).keyFor('r1')).rejects.toBeInstanceOf(JwksUnavailableError);
    up = true;
  });
});
