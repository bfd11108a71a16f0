import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxEvent } from './outbox-event.entity.js';
import { OutboxDeliverer } from './outbox.deliverer.js';
import { OutboxMetrics } from './outbox.metrics.js';
import { OutboxService } from './outbox.service.js';
import { UsageRecorderMiddleware } from './usage-recorder.middleware.js';

@Module({
  imports: [TypeOrmModule.forFeature([OutboxEvent])],
  providers: [OutboxService, OutboxMetrics, OutboxDeliverer, UsageRecorderMiddleware],
  exports: [OutboxService, UsageRecorderMiddleware],
})
export class OutboxModule {}
