import { DEFAULT_REVOCATION_NAMESPACE, SIGNING_ALGORITHMS, type SigningAlgorithm } from '@sso/contracts';
import type { ApiKeyVerifier } from './api-key/api-key-verifier.js';
import type { StoredApiKeySettings } from './api-key/stored-api-key.verifier.js';

/** Algorithms the verifier can check through passport-jwt: the ecosystem's one set (@sso/contracts). */
export const SUPPORTED_ALGORITHMS = SIGNING_ALGORITHMS;
export type VerificationAlgorithm = SigningAlgorithm;

export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 500;
export const DEFAULT_SUBSCRIBER_CHECK_INTERVAL_MS = 5_000;

/** What a service gives `AuthModule.forRoot` (or returns from `forRootAsync`'s factory). */
export interface AuthModuleOptions {
  /** The `iss` every token must carry, exactly (e.g. `http://localhost:3000`). */
  issuer: string;
  /** This service's name: it must appear in a token's `aud`. */
  audience: string;
  /**
   * Where this service reaches the issuer when not at its public URL (e.g. `http://auth:3000`
   * inside a container network): the JWKS and the token endpoint are fetched there. Default `issuer`.
   */
  authUrl?: string;
  /** Defaults to `${authUrl}/.well-known/jwks.json`. */
  jwksUri?: string;
  /** Allow-list of signing algorithms; default `['RS256']`. */
  algorithms?: VerificationAlgorithm[];
  /** Clock skew accepted on `exp`, `nbf` and `iat`; default 30, at most 60. */
  clockToleranceSeconds?: number;
  /** Redis holding the revocation state (`redis://…`). */
  redisUrl: string;
  /** Prefix of the revocation keys and channel; default `sso:` (config `REDIS_NAMESPACE`). */
  namespace?: string;
  /** Bound on each Redis command of the per-request fallback, and on the subscriber's PING; default 500 ms. */
  redisCommandTimeoutMs?: number;
  /**
   * How often the revocation subscriber must answer a PING; default 5,000 ms (at least 100). A
   * silent one (half-open connection) sends checks to Redis at once and is replaced.
   */
  subscriberCheckIntervalMs?: number;
  /**
   * What a request gets while revocation cannot be checked at all: 503 (default, the client
   * may retry) or 401. Both refuse: there is no way to let such a request through.
   */
  revocationUnavailableStatus?: 503 | 401;
  /** Verified tokens kept in memory; default 10,000. */
  tokenCacheSize?: number;
  /** Least time between two JWKS fetches caused by unknown `kid`s; default 5,000 ms. */
  jwksRefetchIntervalMs?: number;
  /** Keys older than this are refreshed in the background on the next request; default 10 min. */
  jwksMaxAgeMs?: number;
  /** Bound on a JWKS fetch; default 3,000 ms. */
  jwksTimeoutMs?: number;
  /**
   * Accept the legacy API keys of the key service on routes marked `@AllowApiKey()`, checked
   * against its projection in Redis (same `redisUrl` and `namespace`), kept in memory.
   */
  apiKeys?: ApiKeyOptions;
  /** A verifier of one's own for `@AllowApiKey()` routes instead of `apiKeys`; by default every key is refused. */
  apiKeyVerifier?: ApiKeyVerifier;
  /** This service's own OAuth client, for `ServiceTokenClient` and `ServiceHttpClient` (token endpoint default `${authUrl}/oauth/token`). */
  client?: { clientId: string; clientSecret: string; scope?: string[]; tokenEndpoint?: string };
}

export interface ApiKeyOptions extends StoredApiKeySettings {
  /**
   * The key service's key-encryption secret (API_KEYS_ENCRYPTION_SECRET): opens the secrets of
   * keys that may parent secured keys. Without it every secured key is refused.
   */
  encryptionSecret?: string;
  /** Where the `Link` of key-authenticated answers points; default `${issuer}/docs` (the token exchange). */
  migrationGuideUrl?: string;
  /** How often last-used times are written to Redis; default 5,000 ms. */
  lastUsedFlushIntervalMs?: number;
}

/** The options with every default applied and every limit checked. */
export interface AuthSettings {
  issuer: string;
  audience: string;
  jwksUri: string;
  algorithms: VerificationAlgorithm[];
  clockToleranceSeconds: number;
  redisUrl: string;
  namespace: string;
  redisCommandTimeoutMs: number;
  subscriberCheckIntervalMs: number;
  revocationUnavailableStatus: 503 | 401;
  tokenCacheSize: number;
  jwksRefetchIntervalMs: number;
  jwksMaxAgeMs: number;
  jwksTimeoutMs: number;
  apiKeyVerifier?: ApiKeyVerifier;
  apiKeys?: ApiKeyOptions & { migrationGuideUrl: string };
  client?: AuthModuleOptions['client'];
  tokenEndpoint: string;
}

/** Applies the defaults; throws at start, naming the option, for anything unsafe or unusable. */
export function resolveAuthSettings(options: AuthModuleOptions): AuthSettings {
  const problems: string[] = [];
  const issuer = options.issuer?.replace(/\/+$/, '');
  if (!issuer || !isHttpUrl(issuer)) problems.push('issuer must be an http(s) URL');
  if (!options.audience) problems.push('audience is required (the service name)');
  const authUrl = options.authUrl?.replace(/\/+$/, '') ?? issuer;
  if (options.authUrl !== undefined && !isHttpUrl(authUrl)) problems.push('authUrl must be an http(s) URL');
  const jwksUri = options.jwksUri ?? `${authUrl}/.well-known/jwks.json`;
  if (!isHttpUrl(jwksUri)) problems.push('jwksUri must be an http(s) URL');
  const algorithms = options.algorithms ?? ['RS256'];
  const unsupported = algorithms.filter((alg) => !(SUPPORTED_ALGORITHMS as readonly string[]).includes(alg));
  if (algorithms.length === 0) problems.push('algorithms must name at least one algorithm');
  if (unsupported.length > 0) problems.push(`algorithms: ${unsupported.join(', ')} not supported (use ${SUPPORTED_ALGORITHMS.join(', ')})`);
  const clockToleranceSeconds = options.clockToleranceSeconds ?? 30;
  if (!Number.isInteger(clockToleranceSeconds) || clockToleranceSeconds < 0 || clockToleranceSeconds > 60) problems.push('clockToleranceSeconds must be an integer from 0 to 60');
  if (!options.redisUrl || !/^rediss?:\/\//.test(options.redisUrl)) problems.push('redisUrl must be a redis:// or rediss:// URL');
  const revocationUnavailableStatus = options.revocationUnavailableStatus ?? 503;
  if (revocationUnavailableStatus !== 503 && revocationUnavailableStatus !== 401) problems.push('revocationUnavailableStatus must be 503 or 401');
  const subscriberCheckIntervalMs = options.subscriberCheckIntervalMs ?? DEFAULT_SUBSCRIBER_CHECK_INTERVAL_MS;
  // The watchdog is what makes live mode safe on a half-open connection: it cannot be turned off.
  if (!Number.isInteger(subscriberCheckIntervalMs) || subscriberCheckIntervalMs < 100) problems.push('subscriberCheckIntervalMs must be an integer of at least 100 (ms)');
  const tokenCacheSize = options.tokenCacheSize ?? 10_000;
  if (!Number.isInteger(tokenCacheSize) || tokenCacheSize < 0) problems.push('tokenCacheSize must be a non-negative integer');
  if (options.apiKeys && options.apiKeyVerifier) problems.push('apiKeys and apiKeyVerifier exclude each other: give one');
  if (options.apiKeys && !options.apiKeys.applicationId) problems.push('apiKeys.applicationId is required');
  if (problems.length > 0) throw new Error(`AuthModule options: ${problems.join('; ')}`);
  return {
    issuer,
    audience: options.audience,
    jwksUri,
    algorithms,
    clockToleranceSeconds,
    redisUrl: options.redisUrl,
    namespace: options.namespace ?? DEFAULT_REVOCATION_NAMESPACE,
    redisCommandTimeoutMs: options.redisCommandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS,
    subscriberCheckIntervalMs,
    revocationUnavailableStatus,
    tokenCacheSize,
    jwksRefetchIntervalMs: Math.max(options.jwksRefetchIntervalMs ?? 5_000, 100),
    jwksMaxAgeMs: options.jwksMaxAgeMs ?? 600_000,
    jwksTimeoutMs: options.jwksTimeoutMs ?? 3_000,
    apiKeyVerifier: options.apiKeyVerifier,
    apiKeys: options.apiKeys && { ...options.apiKeys, migrationGuideUrl: options.apiKeys.migrationGuideUrl ?? `${issuer}/docs` },
    client: options.client,
    tokenEndpoint: options.client?.tokenEndpoint ?? `${authUrl}/oauth/token`,
  };
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
