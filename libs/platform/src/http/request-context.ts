import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { REQUEST_ID_HEADER, runWithRequestId } from '@sso/contracts';

export { currentRequestId, propagationHeaders, REQUEST_ID_HEADER, runWithRequestId } from '@sso/contracts';

// Accept a caller's id only when it is safe to echo and log as is.
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Express middleware, installed before any other: takes the caller's `x-request-id` (or makes
 * one), echoes it on the response and keeps it in the async context for logs and outgoing calls.
 */
export function requestContextMiddleware(req: IncomingMessage & { id?: string }, res: ServerResponse, next: () => void): void {
  const incoming = req.headers[REQUEST_ID_HEADER];
  const requestId = typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  req.id = requestId;
  res.setHeader(REQUEST_ID_HEADER, requestId);
  runWithRequestId(requestId, next);
}
