import { startService } from '@sso/platform';
import { authService } from './service.js';

await startService({
  loadConfig: () => authService.loadConfig(process.env),
  module: (config) => authService.module(config),
  description: authService.description,
});
