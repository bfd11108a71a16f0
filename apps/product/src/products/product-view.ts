import type { Product } from './product.entity.js';

/** A product as the REST routes show it: `brand` and `category` appear only when the product has them. */
export type ProductView = Omit<Product, 'brand' | 'category'> & { brand?: string; category?: string };

export function productView(product: Product): ProductView {
  const { brand, category, ...rest } = product;
  return { ...rest, ...(brand === null ? {} : { brand }), ...(category === null ? {} : { category }) };
}
