import { randomBytes } from 'node:crypto';

/**
 * Secrets a service needs before anyone can configure it (CONTRACT.md, "Bootstrap secrets").
 * Production must set them; development generates each one once and keeps it under DATA_DIR.
 */
export const bootstrapSecretGenerators = {
  AUTH_ADMIN_PASSWORD: () => randomBytes(18).toString('base64url'),
  // Encrypts the auth service's signing keys at rest.
  AUTH_KEY_ENCRYPTION_SECRET: () => randomBytes(32).toString('base64url'),
  // Algolia admin keys are 32 hex characters; clients validate nothing more.
  API_KEYS_ADMIN_KEY: () => randomBytes(16).toString('hex'),
  // Seals the secrets of API keys that may parent secured keys, in the key service's database and in Redis.
  API_KEYS_ENCRYPTION_SECRET: () => randomBytes(32).toString('base64url'),
} as const satisfies Record<string, () => string>;

export type BootstrapSecretName = keyof typeof bootstrapSecretGenerators;

export const bootstrapSecretNames = Object.keys(bootstrapSecretGenerators) as BootstrapSecretName[];
