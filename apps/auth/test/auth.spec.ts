import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { createServiceApp } from '@sso/platform';
import { captureLogs, createTestEnv, expectServiceBasics, listenOnLoopback } from '@sso/testing';
import { authService } from '../src/service.js';

describe('auth service', () => {
  const testEnv = createTestEnv();
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    const config = authService.loadConfig(testEnv.env);
    ({ app } = await createServiceApp({ module: authService.module(config), config, description: authService.description, logDestination: captureLogs().destination }));
    url = await listenOnLoopback(app);
  });
  afterAll(async () => {
    await app?.close();
    testEnv.cleanup();
  });

  it('answers health, metrics, docs, request ids and unknown routes as the contract says', async () => {
    await expectServiceBasics(url, 'auth');
  });

  it('keeps its data in an SQLite file under DATA_DIR when DATABASE_URL is unset', () => {
    expect(existsSync(join(testEnv.dataDir, 'auth.sqlite'))).toBe(true);
  });

  it('refuses development defaults in production and names each missing variable', () => {
    let refusal = '';
    try {
      authService.loadConfig({ NODE_ENV: 'production', DATA_DIR: testEnv.dataDir });
    } catch (error) {
      refusal = (error as Error).message;
    }
    expect(refusal).toMatch(/DATABASE_URL is required in production/);
    expect(refusal).toMatch(/AUTH_ISSUER is required in production/);
    expect(refusal).toMatch(/AUTH_ADMIN_PASSWORD is required in production/);
    expect(refusal).toMatch(/AUTH_KEY_ENCRYPTION_SECRET is required in production/);
    expect(refusal).toMatch(/API_KEYS_ENCRYPTION_SECRET is required in production/);
  });

  it('starts in production once every required variable is set', () => {
    const config = authService.loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db.internal:5432/auth',
      AUTH_ISSUER: 'https://auth.example.com', AUTH_ADMIN_PASSWORD: 'a-production-secret-value', AUTH_KEY_ENCRYPTION_SECRET: 'another-production-secret', API_KEYS_ENCRYPTION_SECRET: 'a-third-production-secret',
    });
    expect(config.service).toBe('auth');
    expect(config.devSecrets).toEqual([]);
  });
});
