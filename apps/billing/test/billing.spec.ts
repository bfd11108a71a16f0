import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { findUnprotectedRoutes } from '@sso/auth';
import { createServiceApp } from '@sso/platform';
import { captureLogs, createTestEnv, expectServiceBasics, listenOnLoopback } from '@sso/testing';
import { billingService } from '../src/service.js';

describe('billing service', () => {
  const testEnv = createTestEnv();
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    const config = billingService.loadConfig(testEnv.env);
    ({ app } = await createServiceApp({ module: billingService.module(config), config, description: billingService.description, logDestination: captureLogs().destination }));
    url = await listenOnLoopback(app);
  });
  afterAll(async () => {
    await app?.close();
    testEnv.cleanup();
  });

  it('answers health, metrics, docs, request ids and unknown routes as the contract says', async () => {
    await expectServiceBasics(url, 'billing');
  });

  it('declares, on every route, @Public() or the scopes or API-key ACL it needs', () => {
    expect(findUnprotectedRoutes(app)).toEqual([]);
  });

  it('keeps its data in an SQLite file under DATA_DIR when DATABASE_URL is unset', () => {
    expect(existsSync(join(testEnv.dataDir, 'billing.sqlite'))).toBe(true);
  });

  it('refuses development defaults in production and names each missing variable', () => {
    let refusal = '';
    try {
      billingService.loadConfig({ NODE_ENV: 'production', DATA_DIR: testEnv.dataDir });
    } catch (error) {
      refusal = (error as Error).message;
    }
    expect(refusal).toMatch(/DATABASE_URL is required in production/);
    expect(refusal).toMatch(/AUTH_ISSUER is required in production/);
  });

  it('starts in production once every required variable is set', () => {
    const config = billingService.loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db.internal:5432/billing',
      AUTH_ISSUER: 'https://auth.example.com',
    });
    expect(config.service).toBe('billing');
    expect(config.devSecrets).toEqual([]);
  });
});
