import { Injectable } from '@nestjs/common';
import { MetricsService } from '@sso/platform';
import { Counter, Gauge } from 'prom-client';
import { OutboxService } from './outbox.service.js';

/** The outbox on /metrics: its backlog (read from the database at each scrape) and deliveries. */
@Injectable()
export class OutboxMetrics {
  readonly delivered: Counter;
  readonly failures: Counter;

  constructor(metrics: MetricsService, outbox: OutboxService) {
    new Gauge({
      name: 'product_usage_outbox_backlog',
      help: 'Usage events stored but not yet accepted by usage-tracking',
      registers: [metrics.registry],
      async collect() {
        this.set(await outbox.backlog());
      },
    });
    this.delivered = new Counter({ name: 'product_usage_events_delivered_total', help: 'Usage events accepted by usage-tracking', registers: [metrics.registry] });
    this.failures = new Counter({ name: 'product_usage_delivery_failures_total', help: 'Failed attempts to deliver a batch of usage events', registers: [metrics.registry] });
  }
}
