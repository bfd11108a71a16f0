import { AppModule } from './app.module.js';
import { loadApiKeysConfig } from './config.js';

/** How the api-keys service is built: main.ts starts it, the tests build it the same way. */
export const apiKeysService = {
  loadConfig: loadApiKeysConfig,
  module: AppModule.forRoot,
  description: 'Algolia-compatible legacy API keys: ACLs, restrictions and secured keys, exchangeable for access tokens.',
};
