import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@sso/platform';
import type { ApiKeysConfig } from './config.js';
import { migrations } from './database/migrations.js';

@Module({})
export class AppModule {
  static forRoot(config: ApiKeysConfig): DynamicModule {
    return { module: AppModule, imports: [PlatformModule.forRoot({ config, migrations })] };
  }
}
