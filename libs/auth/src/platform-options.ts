import type { PlatformConfig } from '@sso/platform';
import type { AuthModuleOptions } from './auth.options.js';

/**
 * The options of a service built on @sso/platform, from its validated configuration: its name
 * is its audience; AUTH_ISSUER, AUTH_INTERNAL_URL, AUTH_JWKS_URI, REDIS_URL and REDIS_NAMESPACE as they are.
 */
export function authOptionsFor(config: PlatformConfig, extra: Partial<AuthModuleOptions> = {}): AuthModuleOptions {
  return {
    issuer: config.AUTH_ISSUER,
    authUrl: config.AUTH_INTERNAL_URL,
    jwksUri: config.AUTH_JWKS_URI,
    audience: config.service,
    redisUrl: config.REDIS_URL,
    namespace: config.REDIS_NAMESPACE,
    ...extra,
  };
}
