import { AppModule } from './app.module.js';
import { loadProductConfig } from './config.js';

/** How the product service is built: main.ts starts it, the tests build it the same way. */
export const productService = {
  loadConfig: loadProductConfig,
  module: AppModule.forRoot,
  description: 'The product catalog and its search.',
};
