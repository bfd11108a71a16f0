import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Product } from '../products/product.entity.js';
import { badRequest } from './algolia-errors.js';
import type { RecordFields } from './records.js';

/** One write of a batch, checked before any is made. */
export type RecordWrite =
  | { action: 'replace'; objectID: string; fields: Required<RecordFields> }
  | { action: 'partial'; objectID: string; fields: RecordFields; createIfNotExists: boolean }
  | { action: 'delete'; objectID: string };

/**
 * Writes records into the catalog (the `products` table that `/products` serves). Writes are
 * done before they are answered, and a batch runs in one transaction: it changes everything
 * or, on a bad entry, nothing.
 */
@Injectable()
export class RecordWriterService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Creates or replaces each record, in order; answers when every write is committed. */
  async apply(writes: RecordWrite[]): Promise<Date> {
    const now = new Date();
    await this.dataSource.transaction(async (manager) => {
      for (const write of writes) await applyOne(manager, write, now);
    });
    return now;
  }
}

/** A new object id, for records sent without one. */
export function newObjectId(): string {
  return randomUUID();
}

async function applyOne(manager: EntityManager, write: RecordWrite, now: Date): Promise<void> {
  const products = manager.getRepository(Product);
  if (write.action === 'delete') {
    await products.delete({ id: write.objectID });
    return;
  }
  const existing = await products.findOneBy({ id: write.objectID });
  if (write.action === 'replace') {
    await products.save(products.create({ ...(existing ?? { createdAt: now }), ...write.fields, id: write.objectID, updatedAt: now }));
    return;
  }
  if (existing) {
    await products.save(products.merge(existing, { ...write.fields, updatedAt: now }));
    return;
  }
  if (!write.createIfNotExists) return;
  const { name, price, currency } = write.fields;
  if (name === undefined || price === undefined || currency === undefined) throw badRequest(`objectID ${write.objectID} does not exist, and a new record of products needs name, price and currency`);
  await products.save(products.create({ id: write.objectID, description: '', brand: null, category: null, ...write.fields, name, price, currency, createdAt: now, updatedAt: now }));
}
