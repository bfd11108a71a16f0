import { headerOf } from './api-key-verifier.js';

/** The legacy key a request presents, and the application id sent with it. */
export interface ApiKeyCredentials {
  key: string;
  applicationId?: string;
}

export interface RequestWithCredentials {
  headers: Record<string, string | string[] | undefined>;
  query?: unknown;
}

const KEY = 'x-algolia-api-key';
const APPLICATION_ID = 'x-algolia-application-id';

/**
 * The key of `x-algolia-api-key` with the application id of its own header; when the route
 * takes keys in the query string and no key header was sent, the pair of query parameters.
 * Both halves always come from the same place. A value sent twice counts as not sent.
 */
export function apiKeyCredentialsOf(request: RequestWithCredentials, acceptsQuery: boolean): ApiKeyCredentials | undefined {
  const key = headerOf(request.headers, KEY);
  if (key !== undefined) return { key, applicationId: headerOf(request.headers, APPLICATION_ID) };
  if (!acceptsQuery || request.headers[KEY] !== undefined) return undefined;
  const queryKey = queryParameterOf(request.query, KEY);
  return queryKey === undefined ? undefined : { key: queryKey, applicationId: queryParameterOf(request.query, APPLICATION_ID) };
}

function queryParameterOf(query: unknown, name: string): string | undefined {
  if (typeof query !== 'object' || query === null) return undefined;
  const value = (query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}
