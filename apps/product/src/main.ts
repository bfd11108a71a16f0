import { startService } from '@sso/platform';
import { productService } from './service.js';

await startService({
  loadConfig: () => productService.loadConfig(process.env),
  module: (config) => productService.module(config),
  description: productService.description,
});
