import { expect } from '@jest/globals';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * What every service answers (CONTRACT.md, "Common to every service"): health, metrics,
 * OpenAPI, request ids, and the error body for an unknown route.
 */
export async function expectServiceBasics(baseUrl: string, service: string): Promise<void> {
  const live = await fetch(`${baseUrl}/health/live`);
  expect(live.status).toBe(200);
  expect(await live.json()).toEqual({ status: 'live' });

  const ready = await fetch(`${baseUrl}/health/ready`);
  // Database and Redis always; a service with a client of its own adds `service-token`.
  const readiness = (await ready.json()) as { status: string; checks: Record<string, { status: string }> };
  expect(readiness).toMatchObject({ status: 'ready', checks: { database: { status: 'up' }, redis: { status: 'up' } } });
  expect(Object.keys(readiness.checks).filter((check) => !['database', 'redis', 'service-token'].includes(check))).toEqual([]);
  expect(Object.values(readiness.checks).every((check) => check.status === 'up')).toBe(true);
  expect(ready.status).toBe(200);

  const docs = await fetch(`${baseUrl}/docs-json`);
  expect(docs.status).toBe(200);
  const document = (await docs.json()) as { openapi: string; info: { title: string }; paths: Record<string, unknown> };
  expect(document.openapi).toMatch(/^3\./);
  expect(document.info.title).toBe(`${service} service`);
  expect(Object.keys(document.paths)).toContain('/health/ready');
  const ui = await fetch(`${baseUrl}/docs`);
  expect(ui.status).toBe(200);
  expect(ui.headers.get('content-type')).toMatch(/text\/html/);

  const echoed = await fetch(`${baseUrl}/health/live`, { headers: { 'x-request-id': 'caller-id-42' } });
  expect(echoed.headers.get('x-request-id')).toBe('caller-id-42');
  const generated = await fetch(`${baseUrl}/health/live`);
  expect(generated.headers.get('x-request-id')).toMatch(UUID);

  const missing = await fetch(`${baseUrl}/no/such/route`, { headers: { 'x-request-id': 'missing-1' } });
  expect(missing.status).toBe(404);
  expect(await missing.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /no/such/route', requestId: 'missing-1' });

  const metrics = await fetch(`${baseUrl}/metrics`);
  expect(metrics.status).toBe(200);
  expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await metrics.text();
  expect(text).toContain(`process_cpu_user_seconds_total{service="${service}"}`);
  expect(text).toMatch(new RegExp(`http_requests_total\\{method="GET",route="/health/ready",status="200",service="${service}"\\} \\d+`));
  expect(text).toMatch(new RegExp(`http_requests_total\\{method="GET",route="unmatched",status="404",service="${service}"\\} 1`));
}
