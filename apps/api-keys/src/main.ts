import { startService } from '@sso/platform';
import { apiKeysService } from './service.js';

await startService({
  loadConfig: () => apiKeysService.loadConfig(process.env),
  module: (config) => apiKeysService.module(config),
  description: apiKeysService.description,
});
