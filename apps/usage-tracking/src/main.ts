import { startService } from '@sso/platform';
import { usageTrackingService } from './service.js';

await startService({
  loadConfig: () => usageTrackingService.loadConfig(process.env),
  module: (config) => usageTrackingService.module(config),
  description: usageTrackingService.description,
});
