import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/ });

/** The console's settings: where it is reached, the issuer, its client there, and the services it calls. */
const consoleConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65_535).default(3006),
  HOST: z.string().min(1).default('0.0.0.0'),
  AUTH_ISSUER: httpUrl.default('http://localhost:3000'),
  /** The console's own origin as browsers reach it: its redirect URIs are built from it. */
  CONSOLE_URL: httpUrl.optional(),
  /** The console's client at auth, a confidential one (`npm start` registers it). */
  CONSOLE_CLIENT_ID: z.string().min(1, 'is required: the console signs users in as this client of auth'),
  CONSOLE_CLIENT_SECRET: z.string().min(1, "is required: the console client's secret"),
  BILLING_URL: httpUrl.default('http://localhost:3002'),
  SETTINGS_URL: httpUrl.default('http://localhost:3004'),
  /** The storefront's origin (product's), linked from the console's page: the other app of the single sign-on demo. */
  STOREFRONT_URL: httpUrl.default('http://localhost:3005'),
});

export type ConsoleConfig = z.infer<typeof consoleConfigSchema> & { CONSOLE_URL: string };

/** Reads the environment; throws an Error naming every variable at fault. */
export function loadConsoleConfig(env: Record<string, string | undefined>): ConsoleConfig {
  const parsed = consoleConfigSchema.safeParse(env);
  if (!parsed.success) throw new Error(`console: invalid configuration:\n${parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n')}`);
  const config = parsed.data;
  if (config.NODE_ENV === 'production' && !config.CONSOLE_URL) throw new Error('console: CONSOLE_URL is required in production');
  return { ...config, CONSOLE_URL: (config.CONSOLE_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, '') };
}
