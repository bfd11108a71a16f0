import { loadServiceConfig } from '@sso/platform';

export const settingsConfigSpec = {
  service: 'settings',
  defaultPort: 3004,
};

export type SettingsConfig = ReturnType<typeof loadSettingsConfig>;

export function loadSettingsConfig(env: Record<string, string | undefined>) {
  return loadServiceConfig(settingsConfigSpec, env);
}
