import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxModule } from '../outbox/outbox.module.js';
import { UsageRecorderMiddleware } from '../outbox/usage-recorder.middleware.js';
import { Product } from '../products/product.entity.js';
import { AlgoliaCorsMiddleware } from './algolia-cors.middleware.js';
import { algoliaJsonBody } from './algolia-json-body.middleware.js';
import { AlgoliaObjectsController } from './algolia-objects.controller.js';
import { AlgoliaSearchController } from './algolia-search.controller.js';
import { CatalogSearchService } from './catalog-search.service.js';
import { RecordWriterService } from './record-writer.service.js';
import { TaskIds } from './task-ids.js';

/** Algolia's REST protocol on the catalog: the index `products` is the table `/products` serves. */
@Module({
  imports: [TypeOrmModule.forFeature([Product]), OutboxModule],
  controllers: [AlgoliaSearchController, AlgoliaObjectsController],
  providers: [CatalogSearchService, RecordWriterService, TaskIds],
})
export class AlgoliaModule implements NestModule {
  /** Browsers may search; every answered request is reported to usage-tracking, as on /products. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AlgoliaCorsMiddleware).forRoutes({ path: '1/indexes/*path', method: RequestMethod.ALL });
    consumer.apply(UsageRecorderMiddleware, algoliaJsonBody).forRoutes(AlgoliaSearchController, AlgoliaObjectsController);
  }
}
