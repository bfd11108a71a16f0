import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runWithRequestId } from '@sso/platform';
import { ServiceHttpClient, ServiceTokenClient, TokenEndpointError } from '../src/index.js';

interface Seen {
  path: string;
  authorization?: string;
  requestId?: string;
  form: Record<string, string>;
}

describe('ServiceTokenClient and ServiceHttpClient against a real token endpoint', () => {
  const seen: Seen[] = [];
  let server: Server;
  let base: string;
  let issued = 0;
  let lifetime = 900;
  let apiAnswer = 200;

  const read = async (request: IncomingMessage) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    return Object.fromEntries(new URLSearchParams(body));
  };

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      const form = await read(request);
      seen.push({ path: request.url ?? '', authorization: request.headers.authorization, requestId: request.headers['x-request-id'] as string | undefined, form });
      response.setHeader('content-type', 'application/json');
      if (request.url === '/oauth/token') {
        if (request.headers.authorization !== `Basic ${Buffer.from('billing:s3cret%2Fx').toString('base64')}`) {
          return void response.writeHead(401).end(JSON.stringify({ error: 'invalid_client' }));
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
        issued += 1;
        return void response.end(JSON.stringify({ access_token: `token-${issued}`, token_type: 'Bearer', expires_in: lifetime }));
      }
      response.writeHead(apiAnswer).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const client = (secret = 's3cret/x') => new ServiceTokenClient({ tokenEndpoint: `${base}/oauth/token`, clientId: 'billing', clientSecret: secret, scope: ['usage-tracking:read'] });

  it('makes one request for 100 concurrent callers and caches the token', async () => {
    const tokens = client();
    const before = issued;
    const answers = await Promise.all(Array.from({ length: 100 }, () => tokens.accessToken()));
    expect(new Set(answers).size).toBe(1);
    expect(await tokens.accessToken()).toBe(answers[0]);
    expect(issued - before).toBe(1);
    expect(seen.at(-1)?.form).toEqual({ grant_type: 'client_credentials', scope: 'usage-tracking:read' });
  });

  it('renews shortly before expiry', async () => {
    lifetime = 1;
    const tokens = client();
    const first = await tokens.accessToken();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await tokens.accessToken()).not.toBe(first);
    lifetime = 900;
  });

  it('reports a refusal with the RFC 6749 error code', async () => {
    await expect(client('wrong-secret-value').accessToken()).rejects.toMatchObject({ name: 'TokenEndpointError', status: 401, error: 'invalid_client' });
    await expect(new ServiceTokenClient({ tokenEndpoint: `${base}/oauth/token`, clientId: '', clientSecret: '' }).accessToken()).rejects.toBeInstanceOf(TokenEndpointError);
  });

  it('exchanges a token for another audience (RFC 8693)', async () => {
    const answer = await client().exchange({ subjectToken: 'user-token', audience: 'usage-tracking', scope: ['usage-tracking:read'] });
    expect(answer.access_token).toMatch(/^token-/);
    expect(seen.at(-1)?.form).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: 'user-token',
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      audience: 'usage-tracking',
      scope: 'usage-tracking:read',
    });
  });

  it('adds the bearer token and the x-request-id to calls, and retries a 401 once with a new token', async () => {
    const tokens = client();
    const http = new ServiceHttpClient(tokens);
    const response = await runWithRequestId('req-42', () => http.fetch(`${base}/usage/summary`));
    expect(response.status).toBe(200);
    const call = seen.at(-1) as Seen;
    expect(call.path).toBe('/usage/summary');
    expect(call.authorization).toBe(`Bearer ${await tokens.accessToken()}`);
    expect(call.requestId).toBe('req-42');

    apiAnswer = 401;
    const before = seen.length;
    expect((await http.fetch(`${base}/usage/summary`)).status).toBe(401);
    expect(seen.slice(before).map((entry) => entry.path)).toEqual(['/usage/summary', '/oauth/token', '/usage/summary']);
    apiAnswer = 200;
  });

  it('calls on behalf of a user with an exchanged token', async () => {
    const http = new ServiceHttpClient(client());
    await http.onBehalfOf('user-token', 'usage-tracking', ['usage-tracking:read'], `${base}/usage/summary`);
    const [exchange, call] = seen.slice(-2);
    expect(exchange.form.subject_token).toBe('user-token');
    expect(call.authorization).toMatch(/^Bearer token-\d+$/);
  });
});
