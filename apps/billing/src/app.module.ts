import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule, authOptionsFor } from '@sso/auth';
import { PlatformModule } from '@sso/platform';
import { serviceClientOf, type BillingConfig } from './config.js';
import { migrations } from './database/migrations.js';
import { InvoicesModule } from './invoices/invoices.module.js';

@Module({})
export class AppModule {
  static forRoot(config: BillingConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ config, migrations }),
        // Every route is denied unless @Public() or guarded by @Scopes() / @AllowApiKey().
        AuthModule.forRoot(
          authOptionsFor(config, {
            // Without a client, calls to usage-tracking answer 503 service_client_not_configured.
            client: serviceClientOf(config),
          }),
        ),
        InvoicesModule,
      ],
    };
  }
}
