import { createHmac, createPublicKey, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TEST_REDIS_URL } from '@sso/testing';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { startTestApp, type TestApp } from './support/test-app.js';
import { TestIssuer, type TestKey } from '@sso/testing';

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const encode = (part: object) => b64url(JSON.stringify(part));

describe('attacks on token verification: every one is a 401', () => {
  const issuer = new TestIssuer();
  let rsa: TestKey;
  let ec: TestKey;
  let service: TestApp;
  let attacker: Server;
  let attackerUrl: string;
  const attackerHits: string[] = [];

  async function expect401(token: string, code: string): Promise<void> {
    const response = await fetch(`${service.url}/things`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token", error_description="[^"]+"$/);
    expect(((await response.json()) as { code: string }).code).toBe(code);
  }

  const hmacToken = (header: object, payload: object, secret: string | Buffer) => {
    const input = `${encode(header)}.${encode(payload)}`;
    return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
  };

  beforeAll(async () => {
    await issuer.start();
    rsa = await issuer.addKey('RS256');
    ec = await issuer.addKey('ES256');
    attacker = createServer((request, response) => {
      attackerHits.push(request.url ?? '');
      response.end('{}');
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
    service = await startTestApp({ issuer: issuer.issuer, audience: 'billing', algorithms: ['RS256'], redisUrl: TEST_REDIS_URL, namespace: `test:auth:${randomUUID()}:` });
    expect((await fetch(`${service.url}/things`, { headers: { authorization: `Bearer ${await issuer.sign({}, { key: rsa })}` } })).status).toBe(200);
  });
  afterAll(async () => {
    await service?.close();
    await issuer.close();
    attacker?.closeAllConnections();
    await new Promise((resolve) => attacker?.close(resolve));
  });

  it.each(['none', 'None', 'NONE', 'nOnE', 'nonE'])('alg: %s, with and without a signature part', async (alg) => {
    const unsigned = `${encode({ alg, typ: 'at+jwt', kid: rsa.kid })}.${encode(issuer.claims())}`;
    await expect401(`${unsigned}.`, 'algorithm_not_allowed');
    await expect401(`${unsigned}.${b64url('sig')}`, 'algorithm_not_allowed');
  });

  it('HS256 signed with the RSA public key in several encodings', async () => {
    const publicKey = createPublicKey({ key: rsa.publicJwk as never, format: 'jwk' });
    const secrets: Array<string | Buffer> = [
      publicKey.export({ type: 'spki', format: 'pem' }) as string,
      publicKey.export({ type: 'pkcs1', format: 'pem' }) as string,
      publicKey.export({ type: 'spki', format: 'der' }),
      (publicKey.export({ type: 'spki', format: 'der' }) as Buffer).toString('base64'),
      JSON.stringify(rsa.publicJwk),
      Buffer.from(rsa.publicJwk.n as string, 'base64url'),
    ];
    for (const secret of secrets) {
      await expect401(hmacToken({ alg: 'HS256', typ: 'at+jwt', kid: rsa.kid }, issuer.claims(), secret), 'algorithm_not_allowed');
      // The same MAC under an RS256 header is just a bad signature.
      await expect401(hmacToken({ alg: 'RS256', typ: 'at+jwt', kid: rsa.kid }, issuer.claims(), secret), 'bad_signature');
    }
  });

  it('an algorithm not bound to the key: ES256 key, allowed only RS256', async () => {
    await expect401(await issuer.sign({}, { key: ec }), 'algorithm_not_allowed');
  });

  it('an embedded jwk, jku, x5u or x5c never supplies the key, and nothing is fetched', async () => {
    const own = await generateKeyPair('RS256', { extractable: true });
    const jwk = await exportJWK(own.publicKey);
    const forge = (header: Record<string, unknown>) => new SignJWT(issuer.claims()).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', ...header } as never).sign(own.privateKey);
    const before = issuer.requests.length;
    await expect401(await forge({ kid: rsa.kid, jwk }), 'bad_signature');
    await expect401(await forge({ kid: 'attacker-key', jwk }), 'unknown_key');
    await expect401(await forge({ jwk }), 'unknown_key');
    await expect401(await forge({ kid: 'attacker-key', jku: `${attackerUrl}/jwks.json` }), 'unknown_key');
    await expect401(await forge({ kid: rsa.kid, jku: `${attackerUrl}/jwks.json` }), 'bad_signature');
    await expect401(await forge({ kid: 'attacker-key', x5u: `${attackerUrl}/cert.pem` }), 'unknown_key');
    await expect401(await forge({ kid: rsa.kid, x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'] }), 'bad_signature');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(attackerHits).toEqual([]);
    expect(issuer.requests.slice(before).every((path) => path === '/.well-known/jwks.json')).toBe(true);
  });

  it('kid path traversal and injection only ever look up a map', async () => {
    const before = issuer.requests.length;
    for (const kid of ['../../../../etc/passwd', '/dev/null', '..%2f..%2fjwks.json', `${attackerUrl}/k`, "' OR 1=1 --"]) {
      await expect401(await issuer.sign({}, { key: rsa, header: { kid } }), 'unknown_key');
    }
    await expect401(await issuer.sign({}, { key: rsa, header: { kid: 'k'.repeat(500) } }), 'unknown_key');
    expect(issuer.requests.slice(before).every((path) => path === '/.well-known/jwks.json')).toBe(true);
    expect(attackerHits).toEqual([]);
  });

  it('crit is refused', async () => {
    await expect401(await issuer.sign({}, { key: rsa, header: { crit: ['exp2'], exp2: 1 }, crit: { exp2: true } }), 'unsupported_header');
  });

  it('missing exp', async () => {
    await expect401(await issuer.sign({ exp: undefined }, { key: rsa }), 'missing_claim');
  });

  it('expired beyond the tolerance (30 s) is refused; within it is accepted', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expect401(await issuer.sign({ exp: now - 31, iat: now - 900, nbf: now - 900 }, { key: rsa }), 'expired');
    const within = await issuer.sign({ exp: now - 5, iat: now - 900, nbf: now - 900 }, { key: rsa });
    expect((await fetch(`${service.url}/things`, { headers: { authorization: `Bearer ${within}` } })).status).toBe(200);
  });

  it('future nbf, and future iat, beyond the tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expect401(await issuer.sign({ nbf: now + 120 }, { key: rsa }), 'not_yet_valid');
    await expect401(await issuer.sign({ iat: now + 120 }, { key: rsa }), 'not_yet_valid');
  });

  it('wrong iss', async () => {
    await expect401(await issuer.sign({ iss: 'http://evil.example' }, { key: rsa }), 'wrong_issuer');
    await expect401(await issuer.sign({ iss: `${issuer.issuer}/` }, { key: rsa }), 'wrong_issuer');
    await expect401(await issuer.sign({ iss: undefined }, { key: rsa }), 'wrong_issuer');
  });

  it('wrong aud', async () => {
    await expect401(await issuer.sign({ aud: ['product'] }, { key: rsa }), 'wrong_audience');
    await expect401(await issuer.sign({ aud: ['billing-extra'] }, { key: rsa }), 'wrong_audience');
    await expect401(await issuer.sign({ aud: undefined }, { key: rsa }), 'wrong_audience');
  });

  it('wrong typ', async () => {
    for (const typ of ['JWT', 'jwt', 'at+jwt2', 'application/jwt']) {
      await expect401(await issuer.sign({}, { key: rsa, header: { typ } }), 'wrong_type');
    }
    const untyped = `${encode({ alg: 'RS256', kid: rsa.kid })}.${encode(issuer.claims())}.${b64url('x')}`;
    await expect401(untyped, 'wrong_type');
  });

  it('tampered payload', async () => {
    const [header, , signature] = (await issuer.sign({}, { key: rsa })).split('.');
    await expect401(`${header}.${encode(issuer.claims({ scope: 'billing:read billing:admin' }))}.${signature}`, 'bad_signature');
  });

  it('garbage and non-bearer credentials', async () => {
    await expect401('not-a-jwt', 'malformed');
    await expect401('a.b.c', 'malformed');
    const basic = await fetch(`${service.url}/things`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.status).toBe(401);
  });
});
