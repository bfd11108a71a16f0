import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findUnprotectedRoutes } from '@sso/auth';
import { startServiceHarness, type ServiceHarness } from '@sso/service-testing';
import { ConfigError, createServiceApp } from '@sso/platform';
import { authStandIn, captureLogs, createTestEnv, expectServiceBasics, listenOnLoopback, sparePort, TestIssuer, waitFor } from '@sso/testing';
import { billingService } from '../src/service.js';

describe('billing service', () => {
  let service: ServiceHarness;

  beforeAll(async () => {
    service = await startServiceHarness(billingService, { audience: ['billing'], scope: 'billing:read' });
  });
  afterAll(async () => {
    await service?.close();
  });

  it('answers health, metrics, docs, request ids and unknown routes as the contract says', async () => {
    await expectServiceBasics(service.url, 'billing');
  });

  it('declares, on every route, @Public() or the scopes or API-key ACL it needs', () => {
    expect(findUnprotectedRoutes(service.app)).toEqual([]);
  });

  it('keeps its data in an SQLite file under DATA_DIR when DATABASE_URL is unset', () => {
    expect(existsSync(join(service.testEnv.dataDir, 'billing.sqlite'))).toBe(true);
  });

  it('refuses development defaults in production and names each missing variable', () => {
    let refusal = '';
    try {
      billingService.loadConfig({ NODE_ENV: 'production', DATA_DIR: service.testEnv.dataDir });
    } catch (error) {
      refusal = (error as Error).message;
    }
    expect(refusal).toMatch(/DATABASE_URL is required in production/);
    expect(refusal).toMatch(/AUTH_ISSUER is required in production/);
    expect(refusal).toMatch(/AUTH_CLIENT_ID is required in production/);
    expect(refusal).toMatch(/AUTH_CLIENT_SECRET is required in production/);
  });

  it('refuses to start in production without its OAuth client, naming the variable', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db.internal:5432/billing', AUTH_ISSUER: 'https://auth.example.com', AUTH_CLIENT_ID: 'billing' };
    expect(() => billingService.loadConfig(production)).toThrow(ConfigError);
    expect(() => billingService.loadConfig(production)).toThrow(/AUTH_CLIENT_SECRET is required in production/);
  });

  it('reads the price list and currency, refusing a malformed one by name', () => {
    const config = billingService.loadConfig({ ...service.testEnv.env, BILLING_PRICES: '{"product.requests": 2}', BILLING_CURRENCY: 'USD' });
    expect(config.BILLING_PRICES).toEqual({ 'product.requests': 2 });
    expect(config.BILLING_CURRENCY).toBe('USD');
    expect(billingService.loadConfig(service.testEnv.env)).toMatchObject({ BILLING_PRICES: {}, BILLING_CURRENCY: 'EUR', USAGE_TRACKING_URL: 'http://localhost:3003' });
    expect(() => billingService.loadConfig({ ...service.testEnv.env, BILLING_PRICES: '{"product.requests": 0.5}' })).toThrow(/BILLING_PRICES/);
    expect(() => billingService.loadConfig({ ...service.testEnv.env, BILLING_PRICES: 'cheap' })).toThrow(/BILLING_PRICES: must be a JSON object/);
    expect(() => billingService.loadConfig({ ...service.testEnv.env, BILLING_CURRENCY: 'euro' })).toThrow(/BILLING_CURRENCY/);
  });

  it('answers 503 service_client_not_configured instead of calling usage-tracking without a client', async () => {
    const issuer = await new TestIssuer().start();
    try {
      await issuer.addKey();
      const env = createTestEnv({ AUTH_ISSUER: issuer.url });
      const config = billingService.loadConfig(env.env);
      const { app: bare } = await createServiceApp({ module: billingService.module(config), config, description: billingService.description, logDestination: captureLogs().destination });
      try {
        const bareUrl = await listenOnLoopback(bare);
        const response = await fetch(`${bareUrl}/invoices`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await issuer.sign({ scope: 'billing:write' })}` }, body: '{"period":"2026-10"}' });
        expect(response.status).toBe(503);
        expect(await response.json()).toMatchObject({ statusCode: 503, code: 'service_client_not_configured' });
      } finally {
        await bare.close();
        env.cleanup();
      }
    } finally {
      await issuer.close();
    }
  });

  it('starts in production once every required variable is set', () => {
    const config = billingService.loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db.internal:5432/billing',
      AUTH_ISSUER: 'https://auth.example.com',
      AUTH_CLIENT_ID: 'billing',
      AUTH_CLIENT_SECRET: 'a-long-client-secret',
    });
    expect(config.service).toBe('billing');
    expect(config.devSecrets).toEqual([]);
  });
});

describe('billing readiness with a client of its own', () => {
  it('is not ready while it cannot get its token from auth, says why, and is ready once it can, at AUTH_INTERNAL_URL', async () => {
    const issuer = new TestIssuer();
    await issuer.start();
    await issuer.addKey();
    const authPort = await sparePort();
    // The public issuer URL resolves nowhere here: only the internal address reaches auth.
    const testEnv = createTestEnv({ AUTH_ISSUER: 'http://auth.public.invalid', AUTH_INTERNAL_URL: `http://127.0.0.1:${authPort}`, AUTH_CLIENT_ID: 'billing', AUTH_CLIENT_SECRET: 'billing-client-secret' });
    const config = billingService.loadConfig(testEnv.env);
    const { app } = await createServiceApp({ module: billingService.module(config), config, description: billingService.description, logDestination: captureLogs().destination });
    const url = await listenOnLoopback(app);
    const auth = authStandIn(authPort, issuer);
    try {
      const down = await fetch(`${url}/health/ready`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({
        status: 'unavailable',
        checks: { database: { status: 'up' }, 'service-token': { status: 'down', reason: expect.stringMatching(/token endpoint unreachable/) } },
      });

      await auth.start();
      // Each check has 2 s; on a loaded machine the first answer after auth starts may still be down.
      const readiness = async () => {
        const answer = await fetch(`${url}/health/ready`);
        return { status: answer.status, body: (await answer.json()) as unknown };
      };
      await waitFor(async () => (await readiness()).status === 200, 'billing to be ready once auth answers').catch(() => undefined);
      expect(await readiness()).toMatchObject({ status: 200, body: { status: 'ready', checks: { 'service-token': { status: 'up' } } } });
      expect(auth.requests.map(({ url: path }) => path)).toEqual(['/oauth/token']);
    } finally {
      await app.close();
      await auth.stop();
      await issuer.close();
      testEnv.cleanup();
    }
  });
});
