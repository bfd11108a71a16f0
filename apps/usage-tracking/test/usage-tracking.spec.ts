import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findUnprotectedRoutes } from '@sso/auth';
import { startServiceHarness, type ServiceHarness } from '@sso/service-testing';
import { expectServiceBasics } from '@sso/testing';
import { usageTrackingService } from '../src/service.js';

describe('usage-tracking service', () => {
  let service: ServiceHarness;

  beforeAll(async () => {
    service = await startServiceHarness(usageTrackingService, { audience: ['usage-tracking'], scope: 'usage-tracking:read' });
  });
  afterAll(async () => {
    await service?.close();
  });

  it('answers health, metrics, docs, request ids and unknown routes as the contract says', async () => {
    await expectServiceBasics(service.url, 'usage-tracking');
  });

  it('declares, on every route, @Public() or the scopes or API-key ACL it needs', () => {
    expect(findUnprotectedRoutes(service.app)).toEqual([]);
  });

  it('keeps its data in an SQLite file under DATA_DIR when DATABASE_URL is unset', () => {
    expect(existsSync(join(service.testEnv.dataDir, 'usage-tracking.sqlite'))).toBe(true);
  });

  it('refuses development defaults in production and names each missing variable', () => {
    let refusal = '';
    try {
      usageTrackingService.loadConfig({ NODE_ENV: 'production', DATA_DIR: service.testEnv.dataDir });
    } catch (error) {
      refusal = (error as Error).message;
    }
    expect(refusal).toMatch(/DATABASE_URL is required in production/);
    expect(refusal).toMatch(/AUTH_ISSUER is required in production/);
  });

  it('starts in production once every required variable is set', () => {
    const config = usageTrackingService.loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db.internal:5432/usage_tracking',
      AUTH_ISSUER: 'https://auth.example.com',
    });
    expect(config.service).toBe('usage-tracking');
    expect(config.devSecrets).toEqual([]);
  });
});
