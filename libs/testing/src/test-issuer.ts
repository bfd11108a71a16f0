import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface TestKey {
  kid: string;
  alg: 'RS256' | 'PS256' | 'ES256';
  privateKey: SigningKey;
  publicJwk: JWK;
}

export interface SignOptions {
  key?: TestKey;
  header?: Record<string, unknown>;
  /** Extensions jose should let through when signing a `crit` header. */
  crit?: Record<string, boolean>;
}

/**
 * A stand-in for the auth service as verifiers see it: a JWKS served over real HTTP (with
 * every request recorded) and tokens signed with its keys.
 */
export class TestIssuer {
  readonly requests: string[] = [];
  private readonly keys = new Map<string, TestKey>();
  private server?: Server;
  url = '';

  get issuer(): string {
    return this.url;
  }

  get jwksFetches(): number {
    return this.requests.filter((path) => path === '/.well-known/jwks.json').length;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.requests.push(request.url ?? '');
      if (request.url !== '/.well-known/jwks.json') return void response.writeHead(404).end();
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [...this.keys.values()].map((key) => key.publicJwk) }));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** Generates a key; published in the JWKS unless `publish` is false. */
  async addKey(alg: TestKey['alg'] = 'RS256', publish = true): Promise<TestKey> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const kid = `${alg.toLowerCase()}-${randomUUID().slice(0, 8)}`;
    const key: TestKey = { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
    if (publish) this.keys.set(kid, key);
    return key;
  }

  removeKey(kid: string): void {
    this.keys.delete(kid);
  }

  /** The claims of a typical user token of the `billing` audience; override any. */
  claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    return { iss: this.issuer, sub: 'user-1', aud: ['billing'], exp: now + 900, nbf: now, iat: now, jti: randomUUID(), client_id: 'web', scope: 'billing:read', sid: 'session-1', ...overrides };
  }

  async sign(overrides: Record<string, unknown> = {}, { key, header = {}, crit }: SignOptions = {}): Promise<string> {
    const signer = key ?? [...this.keys.values()][0];
    const payload = Object.fromEntries(Object.entries(this.claims(overrides)).filter(([, value]) => value !== undefined));
    return new SignJWT(payload).setProtectedHeader({ alg: signer.alg, typ: 'at+jwt', kid: signer.kid, ...header }).sign(signer.privateKey, { crit });
  }
}
