import { Module } from '@nestjs/common';
import { STOREFRONT_ASSETS } from './storefront.constants.js';
import { readStorefrontAssets } from './storefront-assets.js';
import { StorefrontController } from './storefront.controller.js';

@Module({
  controllers: [StorefrontController],
  providers: [{ provide: STOREFRONT_ASSETS, useFactory: () => readStorefrontAssets() }],
})
export class StorefrontModule {}
