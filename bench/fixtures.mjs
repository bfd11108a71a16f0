// What the benchmark stands in for: an issuer publishing its key, and the key service's and
// auth's projections in Redis, written the way @sso/contracts says their owners write them.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import {
  API_KEY_SECRET_PURPOSE,
  apiKeyHash,
  apiKeysChannel,
  apiKeysHashKey,
  encodeApiKeyEvent,
  encodeApiKeyRecord,
  encodeProjectionGeneration,
  mintApiKey,
  projectionGenerationKey,
  SecretBox,
} from '@sso/contracts';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/** An issuer with one RS256 key, its JWKS served over HTTP; `sign` makes access tokens of the contract's shape. */
export async function startIssuer() {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `bench-${randomUUID().slice(0, 8)}`;
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] });
  const server = createServer((request, response) => (request.url === '/.well-known/jwks.json' ? response.end(jwks) : response.writeHead(404).end()));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    publicKey,
    sign: (claims) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: url, sub: 'user-1', aud: ['bench'], exp: now + 3_600, nbf: now, iat: now, jti: randomUUID(), client_id: 'web', scope: 'bench:read', sid: 'session-1', ...claims })
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid })
        .sign(privateKey);
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** As auth and the key service do once they have built their projections: marks both whole. */
export async function markProjectionsWhole(redis, namespace) {
  for (const name of ['revocations', 'api-keys']) {
    await redis.set(projectionGenerationKey(namespace, name), encodeProjectionGeneration({ generation: randomUUID(), source: 'bench', builtAt: Date.now() }));
  }
}

/** A new search key in the key service's projection; returns the key. */
export async function writeApiKey(redis, namespace, encryptionSecret) {
  const key = mintApiKey();
  const record = {
    id: randomUUID(),
    appId: 'SSODEMO',
    acl: ['search'],
    indexes: [],
    referers: [],
    maxHitsPerQuery: 0,
    maxQueriesPerIPPerHour: 0,
    queryParameters: '',
    expiresAt: null,
    deletedAt: null,
    sealedSecret: new SecretBox(encryptionSecret, API_KEY_SECRET_PURPOSE).seal(Buffer.from(key)),
    version: Date.now(),
  };
  await redis.multi().hSet(apiKeysHashKey(namespace), apiKeyHash(key), encodeApiKeyRecord(record)).publish(apiKeysChannel(namespace), encodeApiKeyEvent(apiKeyHash(key), record)).exec();
  return key;
}
