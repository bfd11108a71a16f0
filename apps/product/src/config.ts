import { API_KEY_PATTERN } from '@sso/contracts';
import { apiKeysConfigShape, ConfigError, loadServiceConfig } from '@sso/platform';
import { z } from 'zod';

export const productConfigSpec = {
  service: 'product',
  defaultPort: 3005,
  shape: {
    ...apiKeysConfigShape,
    /** Where the `Link` header of key-authenticated answers points (the migration guide); default `${AUTH_ISSUER}/docs`. */
    API_KEYS_MIGRATION_GUIDE_URL: z.url({ protocol: /^https?$/ }).optional(),
    USAGE_TRACKING_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:3003'),
    /** This service's OAuth client at auth; optional in development (the outbox waits), required in production. */
    AUTH_CLIENT_ID: z.string().min(1).optional(),
    AUTH_CLIENT_SECRET: z.string().min(1).optional(),
    /** How often the outbox deliverer looks for undelivered usage events. */
    OUTBOX_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
    /** Events sent to usage-tracking in one request. */
    // 500 events of UUID ids and subjects stay under usage-tracking's 100 kB body limit.
    OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(100),
    /** Cap of the exponential backoff while usage-tracking or auth fails. */
    OUTBOX_MAX_BACKOFF_MS: z.coerce.number().int().min(10).max(300_000).default(5_000),
    /** Delivered events are kept this long (for inspection), then deleted so the table stays small. */
    OUTBOX_RETENTION_HOURS: z.coerce.number().int().min(0).max(24 * 365).default(24),
    /** The search-only key the storefront page (/storefront/) gives every visitor's browser; without one the page cannot search. */
    STOREFRONT_SEARCH_KEY: z.string().regex(API_KEY_PATTERN, 'must be an API key (ak_ and 38 letters or digits)').optional(),
    /** The storefront's public client at auth (PKCE, no secret): visitors sign in at /storefront/account. Without it, that page says sign-in is not set up. */
    STOREFRONT_CLIENT_ID: z.string().min(1).optional(),
    /** This service's origin as browsers reach it, for the storefront's redirect URIs; default http://localhost:PORT. */
    STOREFRONT_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Where the storefront's account page reads the visitor's invoices. */
    BILLING_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:3002'),
  },
  // Opens the secrets of parent keys, to check secured API keys.
  secrets: ['API_KEYS_ENCRYPTION_SECRET'] as const,
};

export type ProductConfig = ReturnType<typeof loadProductConfig>;

const CLIENT_VARIABLES = ['AUTH_CLIENT_ID', 'AUTH_CLIENT_SECRET'] as const;

/**
 * The platform's loader plus one production rule of this service: without its OAuth client
 * product could never report usage, so production refuses to start without one. Problems are
 * merged with the platform's so that a single message names every variable at fault.
 */
export function loadProductConfig(env: Record<string, string | undefined>) {
  const production = env.NODE_ENV === 'production';
  const missing = production ? CLIENT_VARIABLES.filter((name) => !env[name]).map((name) => `${name} is required in production (product's OAuth client at auth, for reporting usage)`) : [];
  let config;
  try {
    config = loadServiceConfig(productConfigSpec, env);
  } catch (error) {
    if (error instanceof ConfigError && missing.length > 0) throw new ConfigError(error.service, [...error.problems, ...missing]);
    throw error;
  }
  if (missing.length > 0) throw new ConfigError(productConfigSpec.service, missing);
  return config;
}

/** The `client` option of AuthModule, only when both halves are configured. */
export function serviceClientOf(config: ProductConfig): { clientId: string; clientSecret: string } | undefined {
  return config.AUTH_CLIENT_ID && config.AUTH_CLIENT_SECRET ? { clientId: config.AUTH_CLIENT_ID, clientSecret: config.AUTH_CLIENT_SECRET } : undefined;
}
