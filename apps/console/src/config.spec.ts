import { describe, expect, it } from '@jest/globals';
import { loadConsoleConfig } from './config.js';

const CLIENT = { CONSOLE_CLIENT_ID: 'console-client', CONSOLE_CLIENT_SECRET: 'console-secret' };

describe('loadConsoleConfig', () => {
  it('defaults to the ports of npm start, its own origin built from PORT', () => {
    expect(loadConsoleConfig({ ...CLIENT, PORT: '4006' })).toMatchObject({
      PORT: 4006,
      AUTH_ISSUER: 'http://localhost:3000',
      CONSOLE_URL: 'http://localhost:4006',
      BILLING_URL: 'http://localhost:3002',
      SETTINGS_URL: 'http://localhost:3004',
      STOREFRONT_URL: 'http://localhost:3005',
    });
    expect(loadConsoleConfig({ ...CLIENT, CONSOLE_URL: 'https://console.example.com/' }).CONSOLE_URL).toBe('https://console.example.com');
  });

  it('refuses to start without its client, naming each variable', () => {
    expect(() => loadConsoleConfig({})).toThrow(/CONSOLE_CLIENT_ID[\s\S]*CONSOLE_CLIENT_SECRET/);
    expect(() => loadConsoleConfig({ ...CLIENT, BILLING_URL: 'ftp://billing' })).toThrow(/BILLING_URL/);
  });

  it('needs its public origin in production', () => {
    expect(() => loadConsoleConfig({ ...CLIENT, NODE_ENV: 'production' })).toThrow('CONSOLE_URL is required in production');
    expect(loadConsoleConfig({ ...CLIENT, NODE_ENV: 'production', CONSOLE_URL: 'https://console.example.com' }).CONSOLE_URL).toBe('https://console.example.com');
  });
});
