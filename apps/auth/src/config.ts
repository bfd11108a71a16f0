import { loadServiceConfig } from '@sso/platform';
import { z } from 'zod';

export const authConfigSpec = {
  service: 'auth',
  defaultPort: 3000,
  shape: { AUTH_ADMIN_USERNAME: z.string().min(1).max(64).default('admin') },
  secrets: ['AUTH_ADMIN_PASSWORD'] as const,
};

export type AuthConfig = ReturnType<typeof loadAuthConfig>;

export function loadAuthConfig(env: Record<string, string | undefined>) {
  return loadServiceConfig(authConfigSpec, env);
}
