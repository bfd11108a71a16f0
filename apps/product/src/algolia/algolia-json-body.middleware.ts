import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpException } from '@nestjs/common';
import { textJsonBody } from '@sso/platform';
import type { AlgoliaErrorBody } from './algolia-errors.js';

/** Larger than the platform's 100 kB: a batch of the clients' default 1000 records must fit. */
export const ALGOLIA_BODY_LIMIT = '1mb';

const parseTextJson = textJsonBody(ALGOLIA_BODY_LIMIT);

/**
 * The algoliasearch clients' JSON bodies (sent as `text/plain`, gzip-compressed when asked to),
 * parsed for the Algolia routes, which answer a body they cannot read in Algolia's error shape.
 */
export function algoliaJsonBody(req: IncomingMessage & { body?: unknown }, res: ServerResponse, next: () => void): void {
  parseTextJson(req, res, (error?: unknown) => (error ? refuse(res, statusOf(error), messageOf(error)) : next()));
}

function statusOf(error: unknown): number {
  if (error instanceof HttpException) return error.getStatus();
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : 400;
}

function messageOf(error: unknown): string {
  if (error instanceof HttpException) return 'The body is not valid JSON';
  const type = (error as { type?: unknown }).type;
  if (type === 'entity.too.large') return `The body is larger than ${ALGOLIA_BODY_LIMIT}`;
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return 'The body must be UTF-8 JSON, identity or gzip encoded';
  return 'The body cannot be read';
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ message, status } satisfies AlgoliaErrorBody));
}
