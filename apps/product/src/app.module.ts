import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule, authOptionsFor } from '@sso/auth';
import { PlatformModule } from '@sso/platform';
import { serviceClientOf, type ProductConfig } from './config.js';
import { migrations } from './database/migrations.js';
import { ProductsModule } from './products/products.module.js';

@Module({})
export class AppModule {
  static forRoot(config: ProductConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ config, migrations }),
        // Every route is denied unless @Public() or guarded by @Scopes() / @AllowApiKey().
        AuthModule.forRoot(
          authOptionsFor(config, {
            // Without a client the outbox keeps the events until one is configured.
            client: serviceClientOf(config),
          }),
        ),
        ProductsModule,
      ],
    };
  }
}
