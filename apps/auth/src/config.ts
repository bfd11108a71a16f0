import { SIGNING_ALGORITHMS } from '@sso/contracts';
import { apiKeysConfigShape, ConfigError, loadServiceConfig } from '@sso/platform';
import { z } from 'zod';
import { unknownScopes } from './access/known-scopes.js';
import { declaredClientsSchema } from './clients/declared-clients.js';

const seconds = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const authConfigSpec = {
  service: 'auth',
  defaultPort: 3000,
  shape: {
    ...apiKeysConfigShape,
    AUTH_ADMIN_USERNAME: z.string().min(1).max(64).default('admin'),
    /** Every audience a scope may name: the services of the ecosystem. */
    AUTH_AUDIENCES: z
      .string()
      .default('auth,api-keys,billing,usage-tracking,settings,product')
      .transform((value) => value.split(',').map((part) => part.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, 'audiences are lower-case words joined by dashes')).min(1)),
    AUTH_SIGNING_ALGORITHM: z.enum(SIGNING_ALGORITHMS).default('RS256'),
    AUTH_ACCESS_TOKEN_TTL_SECONDS: seconds(900, 3_600),
    /** A refresh token unused for this long expires. */
    AUTH_REFRESH_TOKEN_TTL_SECONDS: seconds(14 * 86_400, 90 * 86_400),
    /** A session cannot be refreshed past this age, however often it rotates. */
    AUTH_SESSION_MAX_AGE_SECONDS: seconds(30 * 86_400, 365 * 86_400),
    /** Rotate the signing key automatically after this many days; 0 turns it off. */
    AUTH_KEY_ROTATION_DAYS: z.coerce.number().int().min(0).max(365).default(30),
    AUTH_LOGIN_MAX_FAILURES_PER_USER: z.coerce.number().int().min(1).max(1_000).default(5),
    AUTH_LOGIN_MAX_ATTEMPTS_PER_IP: z.coerce.number().int().min(1).max(100_000).default(100),
    AUTH_LOGIN_WINDOW_SECONDS: seconds(900, 86_400),
    /** log2 of scrypt's N for passwords (15: 32 MiB and tens of milliseconds per hash). */
    AUTH_PASSWORD_HASH_COST: z.coerce.number().int().min(10).max(20).default(15),
    /** Clients provisioned at every start (JSON, RFC 7591 names): the service clients of a deployment. */
    AUTH_CLIENTS: declaredClientsSchema,
    /** How often the revocation projection's marker in Redis is checked (a flush loses it without a reconnect). */
    AUTH_PROJECTION_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  },
  // API_KEYS_ENCRYPTION_SECRET opens the secrets of parent keys, so secured keys can be exchanged too.
  secrets: ['AUTH_ADMIN_PASSWORD', 'AUTH_KEY_ENCRYPTION_SECRET', 'API_KEYS_ENCRYPTION_SECRET'] as const,
};

export type AuthConfig = ReturnType<typeof loadAuthConfig>;

export function loadAuthConfig(env: Record<string, string | undefined>) {
  const config = loadServiceConfig(authConfigSpec, env);
  const problems = config.AUTH_CLIENTS.flatMap(({ id, scopes }) =>
    unknownScopes(scopes, config.AUTH_AUDIENCES).map((scope) => `AUTH_CLIENTS: ${id}'s scope ${scope} names an audience not in AUTH_AUDIENCES`),
  );
  if (problems.length > 0) throw new ConfigError(authConfigSpec.service, problems);
  return config;
}
