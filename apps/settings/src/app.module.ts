import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule, authOptionsFor } from '@sso/auth';
import { PlatformModule } from '@sso/platform';
import type { SettingsConfig } from './config.js';
import { migrations } from './database/migrations.js';
import { SettingsModule } from './settings/settings.module.js';

@Module({})
export class AppModule {
  static forRoot(config: SettingsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ config, migrations }),
        // Every route is denied unless @Public() or guarded by @Scopes() / @AllowApiKey().
        AuthModule.forRoot(authOptionsFor(config)),
        SettingsModule,
      ],
    };
  }
}
