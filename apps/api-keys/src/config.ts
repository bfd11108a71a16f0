import { apiKeysConfigShape, loadServiceConfig } from '@sso/platform';
import { z } from 'zod';

export const apiKeysConfigSpec = {
  service: 'api-keys',
  defaultPort: 3001,
  shape: {
    ...apiKeysConfigShape,
    /** How long a deleted key can be restored before it is purged (Algolia: 72 hours). Fractions allowed. */
    API_KEYS_RESTORE_HOURS: z.coerce.number().min(0).max(24 * 365).default(72),
    /** How often expired keys are deleted, old tombstones purged, and guards' last-used times and deleted-key uses folded in. */
    API_KEYS_MAINTENANCE_INTERVAL_MS: z.coerce.number().int().min(20).max(600_000).default(5_000),
    /** How often the projection's generation marker is checked while Redis is connected: a flush loses it without a reconnect. */
    API_KEYS_PROJECTION_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
  },
  secrets: ['API_KEYS_ADMIN_KEY', 'API_KEYS_ENCRYPTION_SECRET'] as const,
};

export type ApiKeysConfig = ReturnType<typeof loadApiKeysConfig>;

export function loadApiKeysConfig(env: Record<string, string | undefined>) {
  return loadServiceConfig(apiKeysConfigSpec, env);
}
