import { loadServiceConfig } from '@sso/platform';
import { z } from 'zod';

export const apiKeysConfigSpec = {
  service: 'api-keys',
  defaultPort: 3001,
  shape: { API_KEYS_APP_ID: z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'must be 1 to 32 letters or digits').default('SSODEMO') },
  secrets: ['API_KEYS_ADMIN_KEY'] as const,
};

export type ApiKeysConfig = ReturnType<typeof loadApiKeysConfig>;

export function loadApiKeysConfig(env: Record<string, string | undefined>) {
  return loadServiceConfig(apiKeysConfigSpec, env);
}
