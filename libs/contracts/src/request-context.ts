import { AsyncLocalStorage } from 'node:async_hooks';

// The request a service is serving, kept across awaits: its id goes into logs and into calls to other services.

export const REQUEST_ID_HEADER = 'x-request-id';

interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The id of the request being served, if any; kept across awaits. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Headers to add to a call made on behalf of the current request. */
export function propagationHeaders(): Record<string, string> {
  const requestId = currentRequestId();
  return requestId ? { [REQUEST_ID_HEADER]: requestId } : {};
}

/** Runs `work` as part of the request `requestId` (for jobs and tests outside HTTP). */
export function runWithRequestId<T>(requestId: string, work: () => T): T {
  return storage.run({ requestId }, work);
}
