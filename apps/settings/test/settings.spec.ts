import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findUnprotectedRoutes } from '@sso/auth';
import { startServiceHarness, type ServiceHarness } from '@sso/service-testing';
import { expectServiceBasics } from '@sso/testing';
import { settingsService } from '../src/service.js';

describe('settings service', () => {
  let settings: ServiceHarness;

  beforeAll(async () => {
    settings = await startServiceHarness(settingsService, { audience: ['settings'], scope: 'settings:read' });
  });
  afterAll(async () => {
    await settings?.close();
  });

  it('answers health, metrics, docs, request ids and unknown routes as the contract says', async () => {
    await expectServiceBasics(settings.url, 'settings');
  });

  it('declares, on every route, @Public() or the scopes or API-key ACL it needs', () => {
    expect(findUnprotectedRoutes(settings.app)).toEqual([]);
  });

  it('keeps its data in an SQLite file under DATA_DIR when DATABASE_URL is unset', () => {
    expect(existsSync(join(settings.testEnv.dataDir, 'settings.sqlite'))).toBe(true);
  });

  it('refuses development defaults in production and names each missing variable', () => {
    let refusal = '';
    try {
      settingsService.loadConfig({ NODE_ENV: 'production', DATA_DIR: settings.testEnv.dataDir });
    } catch (error) {
      refusal = (error as Error).message;
    }
    expect(refusal).toMatch(/DATABASE_URL is required in production/);
    expect(refusal).toMatch(/AUTH_ISSUER is required in production/);
  });

  it('starts in production once every required variable is set', () => {
    const config = settingsService.loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db.internal:5432/settings',
      AUTH_ISSUER: 'https://auth.example.com',
    });
    expect(config.service).toBe('settings');
    expect(config.devSecrets).toEqual([]);
  });
});
