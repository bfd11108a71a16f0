import { loadServiceConfig } from '@sso/platform';

export const productConfigSpec = {
  service: 'product',
  defaultPort: 3005,
};

export type ProductConfig = ReturnType<typeof loadProductConfig>;

export function loadProductConfig(env: Record<string, string | undefined>) {
  return loadServiceConfig(productConfigSpec, env);
}
