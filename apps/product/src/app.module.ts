import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule, authOptionsFor } from '@sso/auth';
import { PlatformModule } from '@sso/platform';
import { AlgoliaModule } from './algolia/algolia.module.js';
import { indexOfRequest } from './algolia/index-of-request.js';
import { serviceClientOf, type ProductConfig } from './config.js';
import { migrations } from './database/migrations.js';
import { ProductsModule } from './products/products.module.js';
import { StorefrontModule } from './storefront/storefront.module.js';

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
            apiKeys: {
              applicationId: config.API_KEYS_APP_ID,
              encryptionSecret: config.API_KEYS_ENCRYPTION_SECRET,
              // The catalog is the one index of this service; an Algolia path may name another (then a 404).
              indexOf: indexOfRequest,
              migrationGuideUrl: config.API_KEYS_MIGRATION_GUIDE_URL,
            },
          }),
        ),
        ProductsModule,
        AlgoliaModule,
        StorefrontModule,
      ],
    };
  }
}
