import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { decodeJwt } from 'jose';
import type { TestIssuer } from './test-issuer.js';

/** The claims of a JWT, unverified: for asserting what a stand-in received. */
export function claimsOf(token: string): Record<string, unknown> {
  return decodeJwt(token);
}

export interface RecordedRequest {
  method: string;
  url: string;
  authorization?: string;
  requestId?: string;
  body: string;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** An HTTP server on a fixed port that can be stopped and started again, recording every request. */
export class StandIn {
  readonly requests: RecordedRequest[] = [];
  private server?: Server;

  constructor(
    readonly port: number,
    private readonly handle: (request: RecordedRequest, response: ServerResponse) => void | Promise<void>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      void readBody(request).then(async (body) => {
        const recorded = { method: request.method ?? 'GET', url: request.url ?? '/', authorization: request.headers.authorization, requestId: request.headers['x-request-id'] as string | undefined, body };
        this.requests.push(recorded);
        await this.handle(recorded, response);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const json = (response: ServerResponse, status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

/**
 * The auth service's token endpoint as billing uses it: client credentials and token exchange,
 * answering tokens signed by the test issuer (whose JWKS the services under test trust).
 */
export function authStandIn(port: number, issuer: TestIssuer, options: { refuseExchange?: boolean } = {}): StandIn {
  return new StandIn(port, async ({ method, url, authorization, body }, response) => {
    if (method !== 'POST' || url !== '/oauth/token') return void json(response, 404, {});
    const clientId = decodeURIComponent(Buffer.from((authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8').split(':')[0]);
    const form = new URLSearchParams(body);
    const iss = `http://127.0.0.1:${port}`;
    if (form.get('grant_type') === 'client_credentials') {
      const token = await issuer.sign({ iss, sub: clientId, client_id: clientId, sid: undefined, aud: ['usage-tracking'], scope: 'usage-tracking:read usage-tracking:write' });
      return void json(response, 200, { access_token: token, token_type: 'Bearer', expires_in: 900 });
    }
    if (form.get('grant_type') === 'urn:ietf:params:oauth:grant-type:token-exchange') {
      if (options.refuseExchange) return void json(response, 400, { error: 'invalid_target' });
      const subject = claimsOf(form.get('subject_token') ?? '');
      const token = await issuer.sign({ iss, sub: subject.sub, client_id: clientId, sid: subject.sid, act: { sub: clientId }, aud: [form.get('audience')], scope: form.get('scope') });
      return void json(response, 200, { access_token: token, token_type: 'Bearer', expires_in: 900, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' });
    }
    json(response, 400, { error: 'unsupported_grant_type' });
  });
}

/**
 * usage-tracking's API as the contract gives it: summaries from `metrics` (a subject starting
 * with `fail-` gets a 500), events deduplicated by id.
 */
export function usageStandIn(port: number, metrics: Record<string, Record<string, number>> = {}): StandIn & { events: Array<Record<string, unknown>> } {
  const events: Array<Record<string, unknown>> = [];
  const seen = new Set<string>();
  const standIn = new StandIn(port, ({ method, url, body }, response) => {
    const { pathname, searchParams } = new URL(url, 'http://stand-in');
    if (method === 'GET' && pathname === '/usage/summary') {
      const subject = searchParams.get('subject') ?? '';
      if (subject.startsWith('fail-')) return void json(response, 500, { statusCode: 500 });
      return void json(response, 200, { subject, from: searchParams.get('from'), to: searchParams.get('to'), metrics: metrics[subject] ?? {} });
    }
    if (method === 'POST' && pathname === '/usage/events') {
      const parsed = JSON.parse(body) as Record<string, unknown> | Array<Record<string, unknown>>;
      let accepted = 0;
      for (const event of Array.isArray(parsed) ? parsed : [parsed]) {
        events.push(event);
        if (!seen.has(String(event.id))) accepted += 1;
        seen.add(String(event.id));
      }
      return void json(response, 202, { accepted, duplicates: (Array.isArray(parsed) ? parsed.length : 1) - accepted });
    }
    json(response, 404, {});
  });
  return Object.assign(standIn, { events });
}
