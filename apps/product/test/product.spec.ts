import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findUnprotectedRoutes } from '@sso/auth';
import { startServiceHarness, type ServiceHarness } from '@sso/service-testing';
import { ConfigError } from '@sso/platform';
import { expectServiceBasics } from '@sso/testing';
import { productService } from '../src/service.js';

describe('product service', () => {
  let service: ServiceHarness;

  beforeAll(async () => {
    service = await startServiceHarness(productService, { audience: ['product'], scope: 'product:read' });
  });
  afterAll(async () => {
    await service?.close();
  });

  it('answers health, metrics, docs, request ids and unknown routes as the contract says', async () => {
    await expectServiceBasics(service.url, 'product');
  });

  it('declares, on every route, @Public() or the scopes or API-key ACL it needs', () => {
    expect(findUnprotectedRoutes(service.app)).toEqual([]);
  });

  it('keeps its data in an SQLite file under DATA_DIR when DATABASE_URL is unset', () => {
    expect(existsSync(join(service.testEnv.dataDir, 'product.sqlite'))).toBe(true);
  });

  it('refuses development defaults in production and names each missing variable', () => {
    let refusal = '';
    try {
      productService.loadConfig({ NODE_ENV: 'production', DATA_DIR: service.testEnv.dataDir });
    } catch (error) {
      refusal = (error as Error).message;
    }
    expect(refusal).toMatch(/DATABASE_URL is required in production/);
    expect(refusal).toMatch(/AUTH_ISSUER is required in production/);
    expect(refusal).toMatch(/AUTH_CLIENT_ID is required in production/);
    expect(refusal).toMatch(/AUTH_CLIENT_SECRET is required in production/);
    expect(refusal).toMatch(/API_KEYS_ENCRYPTION_SECRET is required in production/);
  });

  it('refuses to start in production without its OAuth client, naming the variable', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db.internal:5432/product', AUTH_ISSUER: 'https://auth.example.com', AUTH_CLIENT_SECRET: 'a-long-client-secret' };
    expect(() => productService.loadConfig(production)).toThrow(ConfigError);
    expect(() => productService.loadConfig(production)).toThrow(/AUTH_CLIENT_ID is required in production/);
  });

  it('reads the outbox settings with their defaults', () => {
    expect(productService.loadConfig(service.testEnv.env)).toMatchObject({ USAGE_TRACKING_URL: 'http://localhost:3003', OUTBOX_INTERVAL_MS: 250, OUTBOX_BATCH_SIZE: 100, OUTBOX_MAX_BACKOFF_MS: 5_000 });
    expect(() => productService.loadConfig({ ...service.testEnv.env, OUTBOX_BATCH_SIZE: '0' })).toThrow(/OUTBOX_BATCH_SIZE/);
    expect(() => productService.loadConfig({ ...service.testEnv.env, USAGE_TRACKING_URL: 'usage:3003' })).toThrow(/USAGE_TRACKING_URL/);
  });

  it('exposes the outbox backlog on /metrics', async () => {
    expect(await (await fetch(`${service.url}/metrics`)).text()).toMatch(/^product_usage_outbox_backlog\{service="product"\} 0$/m);
  });

  it('starts in production once every required variable is set', () => {
    const config = productService.loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db.internal:5432/product',
      AUTH_ISSUER: 'https://auth.example.com',
      AUTH_CLIENT_ID: 'product',
      AUTH_CLIENT_SECRET: 'a-long-client-secret',
      API_KEYS_ENCRYPTION_SECRET: 'a-long-key-encryption-secret',
    });
    expect(config.service).toBe('product');
    expect(config.devSecrets).toEqual([]);
  });
});
