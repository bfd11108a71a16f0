import { SIGNING_ALGORITHMS } from '@sso/contracts';
import type { PlatformConfig } from '@sso/platform';
import type { AuthModuleOptions } from './auth.options.js';

/**
 * The options of a service built on @sso/platform, from its validated configuration: its name
 * is its audience; AUTH_ISSUER, AUTH_INTERNAL_URL, AUTH_JWKS_URI, REDIS_URL and REDIS_NAMESPACE as they are.
 * Every algorithm the issuer may be configured to sign is accepted: each published key is bound
 * to its own `alg`, so accepting the set lets no token pick another algorithm for a key.
 */
export function authOptionsFor(config: PlatformConfig, extra: Partial<AuthModuleOptions> = {}): AuthModuleOptions {
  return {
    issuer: config.AUTH_ISSUER,
    authUrl: config.AUTH_INTERNAL_URL,
    jwksUri: config.AUTH_JWKS_URI,
    algorithms: [...SIGNING_ALGORITHMS],
    audience: config.service,
    redisUrl: config.REDIS_URL,
    namespace: config.REDIS_NAMESPACE,
    ...extra,
  };
}
