import { loadServiceConfig } from '@sso/platform';

export const usageTrackingConfigSpec = {
  service: 'usage-tracking',
  defaultPort: 3003,
};

export type UsageTrackingConfig = ReturnType<typeof loadUsageTrackingConfig>;

export function loadUsageTrackingConfig(env: Record<string, string | undefined>) {
  return loadServiceConfig(usageTrackingConfigSpec, env);
}
