import { randomUUID } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { ProductDto } from './dto/product.dto.js';
import { containsPattern } from './like-pattern.js';
import { Product } from './product.entity.js';

@Injectable()
export class ProductsService {
  constructor(@InjectRepository(Product) private readonly products: Repository<Product>) {}

  /**
   * Name or description containing `query`, case-insensitively. LOWER() … LIKE works the same
   * on SQLite and PostgreSQL (ILIKE is PostgreSQL only); SQLite's LOWER folds ASCII only.
   */
  search(query: string | undefined, offset: number, limit: number): Promise<[Product[], number]> {
    const builder = this.products.createQueryBuilder('product');
    if (query) {
      builder.where("(LOWER(product.name) LIKE :pattern ESCAPE '\\' OR LOWER(product.description) LIKE :pattern ESCAPE '\\')", { pattern: containsPattern(query) });
    }
    return builder.orderBy('product.name', 'ASC').addOrderBy('product.id', 'ASC').skip(offset).take(limit).getManyAndCount();
  }

  async get(id: string): Promise<Product> {
    const product = await this.products.findOneBy({ id });
    if (!product) throw new NotFoundException({ message: `no product ${id}`, code: 'product_not_found', error: 'Not Found' });
    return product;
  }

  create(fields: ProductDto): Promise<Product> {
    const now = new Date();
    return this.products.save(this.products.create({ id: randomUUID(), ...wholeFields(fields), createdAt: now, updatedAt: now }));
  }

  /** PUT replaces every field; an omitted description becomes empty, an omitted brand or category none. */
  async replace(id: string, fields: ProductDto): Promise<Product> {
    const product = await this.get(id);
    Object.assign(product, wholeFields(fields));
    return this.products.save(product);
  }

  async delete(id: string): Promise<void> {
    const { affected } = await this.products.delete({ id });
    if (!affected) throw new NotFoundException({ message: `no product ${id}`, code: 'product_not_found', error: 'Not Found' });
  }
}

function wholeFields(fields: ProductDto): Omit<Product, 'id' | 'createdAt' | 'updatedAt'> {
  return { ...fields, description: fields.description ?? '', brand: fields.brand ?? null, category: fields.category ?? null };
}
