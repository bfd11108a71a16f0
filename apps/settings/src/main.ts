import { startService } from '@sso/platform';
import { settingsService } from './service.js';

await startService({
  loadConfig: () => settingsService.loadConfig(process.env),
  module: (config) => settingsService.module(config),
  description: settingsService.description,
});
