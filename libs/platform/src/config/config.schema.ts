import { z } from 'zod';

/** Settings every service reads (CONTRACT.md, "Ports, audiences, configuration"). */
export const baseConfigShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535),
  HOST: z.string().min(1).default('0.0.0.0'),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  /** Prefix of every Redis key and channel of the ecosystem; lets several stacks or test runs share one Redis. */
  REDIS_NAMESPACE: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1 to 64 of A-Z a-z 0-9 _ . : -').default('sso:'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL (unset means SQLite)' }).optional(),
  /** The public URL of the auth service: the `iss` of every token, what browsers and clients see. */
  AUTH_ISSUER: z.url({ protocol: /^https?$/ }).default('http://localhost:3000'),
  /** Where services reach auth (JWKS, token endpoint) when not at the issuer URL, e.g. `http://auth:3000` in a container network. */
  AUTH_INTERNAL_URL: z.url({ protocol: /^https?$/ }).optional(),
  AUTH_JWKS_URI: z.url({ protocol: /^https?$/ }).optional(),
  /** Proxies whose X-Forwarded-For is believed (Express `trust proxy`: IPs, CIDRs, `loopback`, …); none by default. */
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((part) => part.trim()).filter(Boolean)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('.data'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
};

export type BaseConfig = z.infer<z.ZodObject<typeof baseConfigShape>>;
