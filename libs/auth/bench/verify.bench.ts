// Cost of one token check, cached against uncached: `npm run bench` in libs/auth.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { revocationReason, type RevocationKind } from '@sso/contracts';
import { resolveAuthSettings, TokenVerifier } from '@sso/auth';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

const ROUNDS = { uncached: 2_000, cached: 200_000 };

async function main(): Promise<void> {
  const keys = await Promise.all((['RS256', 'ES256'] as const).map(async (alg) => ({ alg, kid: `bench-${alg}`, pair: await generateKeyPair(alg, { extractable: true }) })));
  const jwks = { keys: await Promise.all(keys.map(async ({ alg, kid, pair }) => ({ ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' }))) };
  const server = createServer((_request, response) => response.end(JSON.stringify(jwks)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const settings = (tokenCacheSize: number) => resolveAuthSettings({ issuer, audience: 'billing', redisUrl: 'redis://127.0.0.1:6379', algorithms: ['RS256', 'ES256'], tokenCacheSize });
  const memory = new Map<string, number>();
  const lookup = (kind: RevocationKind, value: string) => memory.get(`${kind}:${value}`);

  console.log(`node ${process.version}; rounds: ${ROUNDS.uncached} uncached, ${ROUNDS.cached} cached`);
  console.log('alg     uncached (passport-jwt + signature)    cached (+ in-memory revocation check)   speed-up');
  for (const { alg, kid, pair } of keys) {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: issuer, sub: 'user-1', aud: ['billing'], exp: now + 900, nbf: now, iat: now, jti: randomUUID(), client_id: 'web', scope: 'billing:read', sid: 's1' };
    const token = await new SignJWT(claims).setProtectedHeader({ alg, typ: 'at+jwt', kid }).sign(pair.privateKey);
    const uncached = new TokenVerifier(settings(0));
    const cached = new TokenVerifier(settings(10_000));
    await uncached.verify(token);
    await cached.verify(token);

    const uncachedMs = await time(ROUNDS.uncached, async () => {
      const { verified } = await uncached.verify(token);
      revocationReason(verified.revocation, lookup);
    });
    const cachedMs = await time(ROUNDS.cached, async () => {
      const { verified } = await cached.verify(token);
      revocationReason(verified.revocation, lookup);
    });
    const perUncached = (uncachedMs * 1000) / ROUNDS.uncached;
    const perCached = (cachedMs * 1000) / ROUNDS.cached;
    console.log(
      `${alg.padEnd(8)}${`${perUncached.toFixed(1)} µs/op (${Math.round(1e6 / perUncached)} op/s)`.padEnd(39)}${`${perCached.toFixed(2)} µs/op (${Math.round(1e6 / perCached)} op/s)`.padEnd(40)}x${Math.round(perUncached / perCached)}`,
    );
    uncached.close();
    cached.close();
  }
  server.close();
}

async function time(rounds: number, work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  for (let round = 0; round < rounds; round += 1) await work();
  return performance.now() - started;
}

await main();
