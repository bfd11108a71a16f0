import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxModule } from '../outbox/outbox.module.js';
import { UsageRecorderMiddleware } from '../outbox/usage-recorder.middleware.js';
import { Product } from './product.entity.js';
import { ProductsController } from './products.controller.js';
import { ProductsService } from './products.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Product]), OutboxModule],
  controllers: [ProductsController],
  providers: [ProductsService],
})
export class ProductsModule implements NestModule {
  /** Every answered catalog request is reported to usage-tracking (CONTRACT.md, product). */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(UsageRecorderMiddleware).forRoutes(ProductsController);
  }
}
