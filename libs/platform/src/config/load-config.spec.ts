import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { loadServiceConfig } from './load-config.js';

const spec = {
  service: 'auth',
  defaultPort: 3000,
  shape: { AUTH_ADMIN_USERNAME: z.string().min(1).default('admin') },
  secrets: ['AUTH_ADMIN_PASSWORD'] as const,
};

function refusal(env: Record<string, string | undefined>): ConfigError {
  try {
    loadServiceConfig(spec, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('loadServiceConfig', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sso-config-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('applies the contract defaults in development', () => {
    const config = loadServiceConfig(spec, { DATA_DIR: dataDir });
    expect(config).toMatchObject({
      service: 'auth',
      NODE_ENV: 'development',
      PORT: 3000,
      REDIS_URL: 'redis://127.0.0.1:6379',
      AUTH_ISSUER: 'http://localhost:3000',
      AUTH_ADMIN_USERNAME: 'admin',
      dataDir,
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('lets the environment override every default, and treats empty values as unset', () => {
    const config = loadServiceConfig(spec, {
      DATA_DIR: dataDir,
      PORT: '4100',
      REDIS_URL: 'redis://cache:6380/2',
      DATABASE_URL: 'postgres://u:p@db:5432/auth',
      AUTH_ISSUER: 'https://sso.example.com',
      AUTH_ADMIN_USERNAME: '',
    });
    expect(config).toMatchObject({ PORT: 4100, REDIS_URL: 'redis://cache:6380/2', DATABASE_URL: 'postgres://u:p@db:5432/auth', AUTH_ISSUER: 'https://sso.example.com', AUTH_ADMIN_USERNAME: 'admin' });
  });

  it('names each invalid variable', () => {
    const error = refusal({ DATA_DIR: dataDir, PORT: 'eighty', REDIS_URL: 'http://cache', DATABASE_URL: 'mysql://db/x', LOG_LEVEL: 'loud' });
    expect(error.problems).toHaveLength(4);
    expect(error.message).toMatch(/PORT: /);
    expect(error.message).toMatch(/REDIS_URL: /);
    expect(error.message).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
    expect(error.message).toMatch(/LOG_LEVEL: /);
  });

  it('generates a missing secret once in development, stores it for the owner only, and reuses it', () => {
    const first = loadServiceConfig(spec, { DATA_DIR: dataDir });
    expect(first.AUTH_ADMIN_PASSWORD).toMatch(/^[\w-]{24}$/);
    expect(first.devSecrets).toEqual(['AUTH_ADMIN_PASSWORD']);
    const file = join(dataDir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ AUTH_ADMIN_PASSWORD: first.AUTH_ADMIN_PASSWORD });
    expect(loadServiceConfig(spec, { DATA_DIR: dataDir }).AUTH_ADMIN_PASSWORD).toBe(first.AUTH_ADMIN_PASSWORD);
  });

  it('takes a secret from the environment over a generated one', () => {
    const config = loadServiceConfig(spec, { DATA_DIR: dataDir, AUTH_ADMIN_PASSWORD: 'correct horse battery staple' });
    expect(config.AUTH_ADMIN_PASSWORD).toBe('correct horse battery staple');
    expect(config.devSecrets).toEqual([]);
  });

  it('refuses every development default in production, naming each variable', () => {
    const error = refusal({ NODE_ENV: 'production', DATA_DIR: dataDir });
    expect(error.problems).toEqual([
      'DATABASE_URL is required in production (SQLite is a development default): set a postgres:// URL',
      'AUTH_ISSUER is required in production (the default issuer is for development): set the public URL of the auth service',
      'AUTH_ADMIN_PASSWORD is required in production (development generates it)',
    ]);
    expect(error.message).toContain('Configuration of the auth service is invalid');
  });

  it('refuses a production secret that is too short, without echoing it', () => {
    const error = refusal({ NODE_ENV: 'production', DATA_DIR: dataDir, DATABASE_URL: 'postgres://db/auth', AUTH_ISSUER: 'https://sso.example.com', AUTH_ADMIN_PASSWORD: 'hunter2' });
    expect(error.problems).toEqual(['AUTH_ADMIN_PASSWORD: must be at least 12 characters']);
    expect(error.message).not.toContain('hunter2');
  });

  it('never writes generated secrets in production', () => {
    loadServiceConfig(spec, { NODE_ENV: 'production', DATA_DIR: dataDir, DATABASE_URL: 'postgres://db/auth', AUTH_ISSUER: 'https://sso.example.com', AUTH_ADMIN_PASSWORD: 'a-long-enough-secret' });
    expect(() => statSync(join(dataDir, 'secrets.json'))).toThrow(/ENOENT/);
  });
});
