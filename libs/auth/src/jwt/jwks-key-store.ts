import { KeyObject } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { importJWK, type JWK } from 'jose';
import type { VerificationAlgorithm } from '../auth.options.js';

/** A public key of the issuer, imported once, with the one algorithm it may verify. */
export interface VerificationKey {
  kid: string;
  algorithm: VerificationAlgorithm;
  key: KeyObject;
}

export interface JwksKeyStoreSettings {
  jwksUri: string;
  algorithms: readonly VerificationAlgorithm[];
  /** Least time between two fetches triggered by unknown kids. */
  refetchIntervalMs: number;
  /** Keys older than this are refreshed in the background. */
  maxAgeMs: number;
  timeoutMs: number;
}

/** The JWKS could not be fetched and the key asked for is not known. */
export class JwksUnavailableError extends Error {}

/**
 * The issuer's signing keys by kid. Fetched lazily (a service starts while auth is down),
 * refetched at most once per `refetchIntervalMs` whatever the number of unknown kids, with
 * one fetch in flight at a time; each key is imported into a KeyObject once.
 */
export class JwksKeyStore {
  private readonly logger = new Logger('Jwks');
  private keys = new Map<string, VerificationKey & { fingerprint: string }>();
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private loadedAt = Number.NEGATIVE_INFINITY;
  private lastFetchFailed = false;
  private inFlight?: Promise<void>;
  /** Completed fetch attempts, for metrics and tests. */
  fetches = 0;

  constructor(private readonly settings: JwksKeyStoreSettings) {}

  /** The key for `kid`, or undefined when the issuer does not publish it. */
  async keyFor(kid: string): Promise<VerificationKey | undefined> {
    const known = this.keys.get(kid);
    if (known) {
      if (Date.now() - this.loadedAt > this.settings.maxAgeMs) void this.refresh().catch(() => undefined);
      return known;
    }
    await this.refresh();
    const fetched = this.keys.get(kid);
    if (!fetched && this.lastFetchFailed) throw new JwksUnavailableError(`JWKS at ${this.settings.jwksUri} unavailable`);
    return fetched;
  }

  /** Fetches the JWKS unless a fetch ran within the refetch interval or is running now. */
  refresh(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (Date.now() - this.lastAttemptAt < this.settings.refetchIntervalMs) return Promise.resolve();
    this.lastAttemptAt = Date.now();
    this.inFlight = this.fetchKeys().finally(() => {
      this.inFlight = undefined;
      this.fetches += 1;
    });
    return this.inFlight;
  }

  private async fetchKeys(): Promise<void> {
    try {
      const response = await fetch(this.settings.jwksUri, { signal: AbortSignal.timeout(this.settings.timeoutMs), redirect: 'error' });
      if (!response.ok) throw new Error(`status ${response.status}`);
      const body = (await response.json()) as { keys?: unknown };
      if (!Array.isArray(body.keys)) throw new Error('no "keys" array');
      const next = new Map<string, VerificationKey & { fingerprint: string }>();
      for (const jwk of body.keys as JWK[]) {
        const imported = await this.importKey(jwk);
        if (imported) next.set(imported.kid, imported);
      }
      this.keys = next;
      this.loadedAt = Date.now();
      this.lastFetchFailed = false;
    } catch (error) {
      this.lastFetchFailed = true;
      this.logger.warn(`JWKS fetch from ${this.settings.jwksUri} failed: ${(error as Error).message}`);
    }
  }

  /** Public members only, so a JWKS that wrongly carries private parts never yields a private key. */
  private async importKey(jwk: JWK): Promise<(VerificationKey & { fingerprint: string }) | undefined> {
    if (typeof jwk.kid !== 'string' || jwk.kid.length === 0 || (jwk.use !== undefined && jwk.use !== 'sig')) return undefined;
    const algorithm = algorithmOf(jwk);
    if (!algorithm || !this.settings.algorithms.includes(algorithm)) return undefined;
    const publicJwk: JWK = jwk.kty === 'RSA' ? { kty: 'RSA', n: jwk.n, e: jwk.e } : { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
    const fingerprint = `${algorithm}:${JSON.stringify(publicJwk)}`;
    const existing = this.keys.get(jwk.kid);
    if (existing?.fingerprint === fingerprint) return existing;
    try {
      const key = KeyObject.from((await importJWK(publicJwk, algorithm)) as Parameters<typeof KeyObject.from>[0]);
      return { kid: jwk.kid, algorithm, key, fingerprint };
    } catch (error) {
      this.logger.warn(`JWKS key ${jwk.kid} skipped: ${(error as Error).message}`);
      return undefined;
    }
  }
}

/** The algorithm a key may verify: its `alg`, else the one its type implies. */
function algorithmOf(jwk: JWK): VerificationAlgorithm | undefined {
  if (jwk.kty === 'RSA' && (jwk.alg === undefined || jwk.alg === 'RS256')) return 'RS256';
  if (jwk.kty === 'RSA' && jwk.alg === 'PS256') return 'PS256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256' && (jwk.alg === undefined || jwk.alg === 'ES256')) return 'ES256';
  return undefined;
}
