import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThan, type Repository } from 'typeorm';
import { OutboxEvent } from './outbox-event.entity.js';

/** The event as usage-tracking's `POST /usage/events` takes it. */
export interface UsageEvent {
  id: string;
  subject: string;
  service: string;
  metric: string;
  quantity: number;
  occurredAt: string;
}

/** Usage events kept in product's own database until usage-tracking has them. */
@Injectable()
export class OutboxService implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private readonly writes = new Set<Promise<void>>();

  constructor(@InjectRepository(OutboxEvent) private readonly events: Repository<OutboxEvent>) {}

  /**
   * Stores one `product.requests` event for `subject`, after the answer is sent: the caller
   * never waits for it. Shutdown waits for writes in flight, so none is cut off.
   */
  recordRequest(subject: string, occurredAt = new Date()): void {
    const write = this.events
      .insert({ id: randomUUID(), subject, service: 'product', metric: 'requests', quantity: 1, occurredAt, deliveredAt: null })
      .then(
        () => undefined,
        (error: Error) => this.logger.error(`a usage event of ${subject} could not be stored: ${error.message}`),
      )
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }

  /** Undelivered events, oldest first. */
  async undelivered(limit: number): Promise<UsageEvent[]> {
    const rows = await this.events.find({ where: { deliveredAt: IsNull() }, order: { occurredAt: 'ASC', id: 'ASC' }, take: limit });
    return rows.map(({ id, subject, service, metric, quantity, occurredAt }) => ({ id, subject, service, metric, quantity, occurredAt: occurredAt.toISOString() }));
  }

  async markDelivered(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.events.update({ id: In(ids) }, { deliveredAt: new Date() });
  }

  /** Deletes events delivered before `cutoff`; undelivered ones are never deleted. */
  async pruneDelivered(cutoff: Date): Promise<number> {
    const { affected } = await this.events.delete({ deliveredAt: LessThan(cutoff) });
    return affected ?? 0;
  }

  backlog(): Promise<number> {
    return this.events.countBy({ deliveredAt: IsNull() });
  }

  /** Resolves once every write started so far has finished. */
  async flush(): Promise<void> {
    while (this.writes.size > 0) await Promise.all([...this.writes]);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.flush();
  }

  onApplicationShutdown(): Promise<void> {
    return this.flush();
  }
}
