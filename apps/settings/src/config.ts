import { loadServiceConfig } from '@sso/platform';
import { z } from 'zod';

export const settingsConfigSpec = {
  service: 'settings',
  defaultPort: 3004,
  shape: {
    /** Largest settings document, serialized as compact JSON (413 beyond); below the platform's 100 kB body limit. */
    SETTINGS_MAX_DOCUMENT_BYTES: z.coerce.number().int().min(256).max(65_536).default(16_384),
  },
};

export type SettingsConfig = ReturnType<typeof loadSettingsConfig>;

export function loadSettingsConfig(env: Record<string, string | undefined>) {
  return loadServiceConfig(settingsConfigSpec, env);
}
