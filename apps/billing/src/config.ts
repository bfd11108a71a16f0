import { ConfigError, jsonSetting, loadServiceConfig } from '@sso/platform';
import { z } from 'zod';

/** `<service>.<metric>` as usage-tracking's summary names them. */
const METRIC_KEY = /^[a-z0-9-]{1,64}\.[a-z0-9_.-]{1,64}$/;

/** Unit prices in minor units (cents) by metric, e.g. `{"product.requests": 2}`. */
const pricesSchema = jsonSetting('{}', 'a JSON object such as {"product.requests": 2}').pipe(
  z.record(z.string().regex(METRIC_KEY, 'keys must be <service>.<metric>'), z.number().int().min(0, 'prices are non-negative integers (minor units)')),
);

export const billingConfigSpec = {
  service: 'billing',
  defaultPort: 3002,
  shape: {
    USAGE_TRACKING_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:3003'),
    /** This service's OAuth client at auth; optional in development, required in production. */
    AUTH_CLIENT_ID: z.string().min(1).optional(),
    AUTH_CLIENT_SECRET: z.string().min(1).optional(),
    BILLING_PRICES: pricesSchema,
    BILLING_CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR').default('EUR'),
    /** Bound on one call to usage-tracking. */
    USAGE_TRACKING_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  },
};

export type BillingConfig = ReturnType<typeof loadBillingConfig>;

const CLIENT_VARIABLES = ['AUTH_CLIENT_ID', 'AUTH_CLIENT_SECRET'] as const;

/**
 * The platform's loader plus one production rule of this service: billing cannot invoice
 * without its own OAuth client, so production refuses to start without one. Problems are
 * merged with the platform's so that a single message names every variable at fault.
 */
export function loadBillingConfig(env: Record<string, string | undefined>) {
  const production = env.NODE_ENV === 'production';
  const missing = production ? CLIENT_VARIABLES.filter((name) => !env[name]).map((name) => `${name} is required in production (billing's OAuth client at auth, for calls to usage-tracking)`) : [];
  let config;
  try {
    config = loadServiceConfig(billingConfigSpec, env);
  } catch (error) {
    if (error instanceof ConfigError && missing.length > 0) throw new ConfigError(error.service, [...error.problems, ...missing]);
    throw error;
  }
  if (missing.length > 0) throw new ConfigError(billingConfigSpec.service, missing);
  return config;
}

/** The `client` option of AuthModule, only when both halves are configured. */
export function serviceClientOf(config: BillingConfig): { clientId: string; clientSecret: string } | undefined {
  return config.AUTH_CLIENT_ID && config.AUTH_CLIENT_SECRET ? { clientId: config.AUTH_CLIENT_ID, clientSecret: config.AUTH_CLIENT_SECRET } : undefined;
}
