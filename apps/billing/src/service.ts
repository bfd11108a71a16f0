import { AppModule } from './app.module.js';
import { loadBillingConfig } from './config.js';

/** How the billing service is built: main.ts starts it, the tests build it the same way. */
export const billingService = {
  loadConfig: loadBillingConfig,
  module: AppModule.forRoot,
  description: 'Invoices computed from usage.',
};
