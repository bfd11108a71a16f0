import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { findUnprotectedRoutes } from '@sso/auth';
import { createServiceApp } from '@sso/platform';
import { captureLogs, createTestEnv, expectServiceBasics, listenOnLoopback } from '@sso/testing';
import { apiKeysService } from '../src/service.js';

describe('api-keys service', () => {
  const testEnv = createTestEnv();
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    const config = apiKeysService.loadConfig(testEnv.env);
    ({ app } = await createServiceApp({ module: apiKeysService.module(config), config, description: apiKeysService.description, logDestination: captureLogs().destination }));
    url = await listenOnLoopback(app);
  });
  afterAll(async () => {
    await app?.close();
    testEnv.cleanup();
  });

  it('answers health, metrics, docs, request ids and unknown routes as the contract says', async () => {
    await expectServiceBasics(url, 'api-keys');
  });

  it('declares, on every route, @Public() or the scopes or API-key ACL it needs', () => {
    expect(findUnprotectedRoutes(app)).toEqual([]);
  });

  it('keeps its data in an SQLite file under DATA_DIR when DATABASE_URL is unset', () => {
    expect(existsSync(join(testEnv.dataDir, 'api-keys.sqlite'))).toBe(true);
  });

  it('refuses development defaults in production and names each missing variable', () => {
    let refusal = '';
    try {
      apiKeysService.loadConfig({ NODE_ENV: 'production', DATA_DIR: testEnv.dataDir });
    } catch (error) {
      refusal = (error as Error).message;
    }
    expect(refusal).toMatch(/DATABASE_URL is required in production/);
    expect(refusal).toMatch(/AUTH_ISSUER is required in production/);
    expect(refusal).toMatch(/API_KEYS_ADMIN_KEY is required in production/);
    expect(refusal).toMatch(/API_KEYS_ENCRYPTION_SECRET is required in production/);
  });

  it('starts in production once every required variable is set', () => {
    const config = apiKeysService.loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db.internal:5432/api_keys',
      AUTH_ISSUER: 'https://auth.example.com', API_KEYS_ADMIN_KEY: 'a-production-secret-value',
      API_KEYS_ENCRYPTION_SECRET: 'another-production-secret-value',
    });
    expect(config.service).toBe('api-keys');
    expect(config.devSecrets).toEqual([]);
  });
});
