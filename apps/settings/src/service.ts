import { AppModule } from './app.module.js';
import { loadSettingsConfig } from './config.js';

/** How the settings service is built: main.ts starts it, the tests build it the same way. */
export const settingsService = {
  loadConfig: loadSettingsConfig,
  module: AppModule.forRoot,
  description: 'Settings documents per user and per system.',
};
