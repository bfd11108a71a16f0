import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import type { PageQuery } from './page.query.js';

/** What every collection answers: one page of items, how many there are in all, and the page asked for. */
export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}

/** The page of `items` (out of `total`) that `query` asked for. */
export function pageOf<T>(items: T[], total: number, { offset, limit }: Pick<PageQuery, 'offset' | 'limit'>): Page<T> {
  return { items, total, offset, limit };
}

/** How every collection's answer reads in a service's paging rules, stated once in each OpenAPI document. */
export const PAGING_RULES =
  'Collections page one way: `?offset=` (from 0) and `&limit=` (1 to 200, 50 by default) answer `{ "items": [...], "total", "offset", "limit" }`. ' +
  'An offset or limit out of range, or a query parameter the list does not know, is a 400 `validation_failed`.';

/** OpenAPI: the route answers a Page of `item` (an object of any shape when no DTO class describes it). */
export function ApiPageResponse(item?: Type<unknown>, description?: string): MethodDecorator {
  return applyDecorators(
    ...(item ? [ApiExtraModels(item)] : []),
    ApiOkResponse({
      description,
      schema: {
        type: 'object',
        required: ['items', 'total', 'offset', 'limit'],
        properties: {
          items: { type: 'array', items: item ? { $ref: getSchemaPath(item) } : { type: 'object' } },
          total: { type: 'integer', minimum: 0 },
          offset: { type: 'integer', minimum: 0 },
          limit: { type: 'integer', minimum: 1, maximum: 200 },
        },
      },
    }),
  );
}
