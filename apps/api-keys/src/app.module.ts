import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule, authOptionsFor } from '@sso/auth';
import { PlatformModule } from '@sso/platform';
import { AdminKeyVerifier } from './admin/admin-key.verifier.js';
import { AuditModule } from './audit/audit.module.js';
import type { ApiKeysConfig } from './config.js';
import { migrations } from './database/migrations.js';
import { KeysModule } from './keys/keys.module.js';
import { MaintenanceModule } from './maintenance/maintenance.module.js';

@Module({})
export class AppModule {
  static forRoot(config: ApiKeysConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ config, migrations }),
        // Every route is denied unless @Public() or guarded by @Scopes() / @AllowApiKey();
        // on this service the only API key accepted is the application's admin key.
        AuthModule.forRoot(authOptionsFor(config, { apiKeyVerifier: new AdminKeyVerifier(config.API_KEYS_ADMIN_KEY, config.API_KEYS_APP_ID) })),
        KeysModule,
        AuditModule,
        MaintenanceModule,
      ],
    };
  }
}
