import { badRequest } from './algolia-errors.js';
import type { RawParams } from './search-params.js';

/** Credentials and client telemetry that travel beside the search parameters, never among them. */
const TRANSPORT_PARAMETERS = new Set(['x-algolia-api-key', 'x-algolia-application-id', 'x-algolia-agent', 'x-algolia-request-id', 'x-algolia-usertoken']);

/** A JSON body that must be an object (a search, a record, a batch). */
export function objectBody(body: unknown, what: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest(`The body must be a JSON object (${what})`);
  return body as Record<string, unknown>;
}

/**
 * The search parameters of a JSON search: its fields, over those of its `params`, which is a
 * URL-encoded string (Algolia's older clients) or an object (a query not flattened by the client).
 */
export function searchParamsOfBody(body: Record<string, unknown>, ignored: readonly string[] = []): RawParams {
  const { params, ...fields } = body;
  const own = Object.fromEntries(Object.entries(fields).filter(([name]) => !ignored.includes(name)));
  return { ...nestedParamsOf(params), ...own };
}

function nestedParamsOf(params: unknown): RawParams {
  if (params === undefined) return {};
  if (typeof params === 'string') return paramsOfQueryString(params);
  if (typeof params === 'object' && params !== null && !Array.isArray(params)) return { ...(params as RawParams) };
  throw badRequest('params must be a URL-encoded string or an object');
}

/** `query=lamp&hitsPerPage=2`: each parameter once. */
export function paramsOfQueryString(text: string): RawParams {
  const params: RawParams = {};
  for (const [name, value] of new URLSearchParams(text)) {
    if (name in params) throw badRequest(`${name} is given twice`);
    params[name] = value;
  }
  return params;
}

/** The search parameters of a GET search: the query string without credentials and telemetry. */
export function searchParamsOfQuery(query: Record<string, unknown>): RawParams {
  const params: RawParams = {};
  for (const [name, value] of Object.entries(query)) {
    if (TRANSPORT_PARAMETERS.has(name.toLowerCase())) continue;
    if (typeof value !== 'string') throw badRequest(`${name} is given twice`);
    params[name] = value;
  }
  return params;
}

/** The `params` a search answer echoes: what the request asked for, URL-encoded, lists as JSON. */
export function echoedParams(params: RawParams): string {
  const entries = Object.entries(params).filter(([name, value]) => value !== undefined && !TRANSPORT_PARAMETERS.has(name.toLowerCase()));
  return new URLSearchParams(entries.map(([name, value]): [string, string] => [name, typeof value === 'string' ? value : JSON.stringify(value)])).toString();
}
