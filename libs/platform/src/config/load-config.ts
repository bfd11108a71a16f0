import { resolve } from 'node:path';
import { z } from 'zod';
import type { BootstrapSecretName } from './bootstrap-secrets.js';
import { ConfigError } from './config-error.js';
import { baseConfigShape, type BaseConfig } from './config.schema.js';
import { readOrCreateDevSecrets } from './dev-secrets.js';

export interface ServiceConfigSpec<Shape extends z.ZodRawShape = z.ZodRawShape, Secret extends BootstrapSecretName = never> {
  /** Service name as in CONTRACT.md: also its audience, log `service` field and SQLite file name. */
  service: string;
  defaultPort: number;
  /** Settings of this service beyond the common ones. */
  shape?: Shape;
  /** Bootstrap secrets this service needs. */
  secrets?: readonly Secret[];
}

/** What the platform itself needs of any service's configuration. */
export type PlatformConfig = BaseConfig & {
  service: string;
  /** Absolute DATA_DIR. */
  dataDir: string;
  /** Bootstrap secrets this start generated or read from DATA_DIR (development only). */
  devSecrets: BootstrapSecretName[];
};

export type ServiceConfig<Shape extends z.ZodRawShape = Record<never, never>, Secret extends BootstrapSecretName = never> = PlatformConfig &
  z.infer<z.ZodObject<Shape>> &
  Record<Secret, string>;

type Env = Record<string, string | undefined>;

/**
 * Reads, validates and completes a service's configuration. Throws ConfigError naming
 * every variable at fault. In production, development defaults are refused: SQLite (no
 * DATABASE_URL), the default issuer, and generated secrets.
 */
export function loadServiceConfig<Shape extends z.ZodRawShape = Record<never, never>, Secret extends BootstrapSecretName = never>(
  spec: ServiceConfigSpec<Shape, Secret>,
  env: Env,
): ServiceConfig<Shape, Secret> {
  const given = withoutEmptyValues(env);
  const secretNames = spec.secrets ?? [];
  const schema = z.object({
    ...baseConfigShape,
    PORT: baseConfigShape.PORT.default(spec.defaultPort),
    ...spec.shape,
    ...Object.fromEntries(secretNames.map((name) => [name, z.string().min(12, 'must be at least 12 characters').optional()])),
  });
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    throw new ConfigError(spec.service, parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const values = parsed.data as Record<string, unknown> & BaseConfig;
  const missingSecrets = secretNames.filter((name) => values[name] === undefined);

  if (values.NODE_ENV === 'production') {
    const problems = productionProblems(given, missingSecrets);
    if (problems.length > 0) throw new ConfigError(spec.service, problems);
  }

  const dataDir = resolve(values.DATA_DIR);
  if (missingSecrets.length > 0) Object.assign(values, readOrCreateDevSecrets(dataDir, missingSecrets).values);
  return { ...values, service: spec.service, dataDir, devSecrets: missingSecrets } as unknown as ServiceConfig<Shape, Secret>;
}

function productionProblems(given: Env, missingSecrets: readonly string[]): string[] {
  const problems: string[] = [];
  if (!given.DATABASE_URL) problems.push('DATABASE_URL is required in production (SQLite is a development default): set a postgres:// URL');
  if (!given.AUTH_ISSUER) problems.push('AUTH_ISSUER is required in production (the default issuer is for development): set the public URL of the auth service');
  for (const name of missingSecrets) problems.push(`${name} is required in production (development generates it)`);
  return problems;
}

function withoutEmptyValues(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
}
