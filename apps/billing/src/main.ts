import { startService } from '@sso/platform';
import { billingService } from './service.js';

await startService({
  loadConfig: () => billingService.loadConfig(process.env),
  module: (config) => billingService.module(config),
  description: billingService.description,
});
