import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxModule } from '../outbox/outbox.module.js';
import { UsageRecorderMiddleware } from '../outbox/usage-recorder.middleware.js';
import { CatalogCorsMiddleware } from './catalog-cors.middleware.js';
import { Product } from './product.entity.js';
import { ProductsController } from './products.controller.js';
import { ProductsService } from './products.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Product]), OutboxModule],
  controllers: [ProductsController],
  providers: [ProductsService],
})
export class ProductsModule implements NestModule {
  /** Browsers may read with a search key; every answered catalog request is reported to usage-tracking (CONTRACT.md, product). */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CatalogCorsMiddleware).forRoutes({ path: 'products', method: RequestMethod.ALL }, { path: 'products/:id', method: RequestMethod.ALL });
    consumer.apply(UsageRecorderMiddleware).forRoutes(ProductsController);
  }
}
