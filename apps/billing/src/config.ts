import { loadServiceConfig } from '@sso/platform';

export const billingConfigSpec = {
  service: 'billing',
  defaultPort: 3002,
};

export type BillingConfig = ReturnType<typeof loadBillingConfig>;

export function loadBillingConfig(env: Record<string, string | undefined>) {
  return loadServiceConfig(billingConfigSpec, env);
}
