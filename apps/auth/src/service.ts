import { AppModule } from './app.module.js';
import { loadAuthConfig } from './config.js';

/** How the auth service is built: main.ts starts it, the tests build it the same way. */
export const authService = {
  loadConfig: loadAuthConfig,
  module: AppModule.forRoot,
  description: 'Identity provider: users, clients, sessions and signing keys; issues, refreshes and revokes access tokens.',
};
