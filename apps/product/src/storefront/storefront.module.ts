import { Module } from '@nestjs/common';
import { SERVICE_CONFIG } from '@sso/platform';
import { RelyingParty } from '@sso/relying-party';
import type { ProductConfig } from '../config.js';
import { STOREFRONT_ASSETS } from './storefront.constants.js';
import { readStorefrontAssets } from './storefront-assets.js';
import { StorefrontAccountController } from './storefront-account.controller.js';
import { StorefrontController } from './storefront.controller.js';

/** The storefront asks only for reading invoices, and no refresh token (`npm start` registers it for the code grant alone). */
export const STOREFRONT_SCOPE = 'openid billing:read';

@Module({
  controllers: [StorefrontController, StorefrontAccountController],
  providers: [
    { provide: STOREFRONT_ASSETS, useFactory: () => readStorefrontAssets() },
    {
      provide: RelyingParty,
      inject: [SERVICE_CONFIG],
      useFactory: (config: ProductConfig) => {
        if (!config.STOREFRONT_CLIENT_ID) return undefined;
        const origin = (config.STOREFRONT_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, '');
        return new RelyingParty({
          issuer: config.AUTH_ISSUER,
          clientId: config.STOREFRONT_CLIENT_ID,
          redirectUri: `${origin}/storefront/callback`,
          postLogoutRedirectUri: `${origin}/storefront/account`,
          scope: STOREFRONT_SCOPE,
          cookieName: 'storefront',
          cookiePath: '/storefront',
          signInPath: '/storefront/signin',
          secureCookies: config.NODE_ENV === 'production',
        });
      },
    },
  ],
})
export class StorefrontModule {}
