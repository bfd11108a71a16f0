import { AppModule } from './app.module.js';
import { loadUsageTrackingConfig } from './config.js';

/** How the usage-tracking service is built: main.ts starts it, the tests build it the same way. */
export const usageTrackingService = {
  loadConfig: loadUsageTrackingConfig,
  module: AppModule.forRoot,
  description: 'API usage events, recorded idempotently, and summaries per subject.',
};
