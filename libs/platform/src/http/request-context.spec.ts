import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { currentRequestId, propagationHeaders, requestContextMiddleware } from './request-context.js';

function run(header: string | string[] | undefined): { id: string | undefined; echoed: unknown; inside: string | undefined; headers: Record<string, string> } {
  const req = { headers: header === undefined ? {} : { 'x-request-id': header } } as IncomingMessage & { id?: string };
  let echoed: unknown;
  const res = { setHeader: (_name: string, value: unknown) => (echoed = value) } as unknown as ServerResponse;
  let inside: string | undefined;
  let headers: Record<string, string> = {};
  requestContextMiddleware(req, res, () => {
    inside = currentRequestId();
    headers = propagationHeaders();
  });
  return { id: req.id, echoed, inside, headers };
}

describe('requestContextMiddleware', () => {
  it("keeps the caller's id, echoes it and passes it on", () => {
    expect(run('checkout-7f3a')).toEqual({ id: 'checkout-7f3a', echoed: 'checkout-7f3a', inside: 'checkout-7f3a', headers: { 'x-request-id': 'checkout-7f3a' } });
  });

  it.each([[undefined], [''], ['has space'], ['line\nbreak'], ['x'.repeat(129)], [['a', 'b']]])('replaces an unusable id (%j) with a new UUID', (header) => {
    const { id, echoed, inside } = run(header);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(echoed).toBe(id);
    expect(inside).toBe(id);
  });

  it('has no id outside a request', () => {
    expect(currentRequestId()).toBeUndefined();
    expect(propagationHeaders()).toEqual({});
  });
});
