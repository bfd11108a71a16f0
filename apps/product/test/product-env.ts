import { createTestEnv, type TestEnv } from '@sso/testing';

/**
 * A test environment for product beside its stand-ins: auth's token endpoint at `authUrl`, the
 * JWKS of a TestIssuer, usage-tracking at `usageUrl`, product's own client, a fast outbox.
 */
export function productTestEnv(peers: { authUrl: string; issuerUrl: string; usageUrl: string }, overrides: Record<string, string> = {}): TestEnv {
  return createTestEnv({
    AUTH_ISSUER: peers.authUrl,
    AUTH_JWKS_URI: `${peers.issuerUrl}/.well-known/jwks.json`,
    USAGE_TRACKING_URL: peers.usageUrl,
    AUTH_CLIENT_ID: 'product-client',
    AUTH_CLIENT_SECRET: 'product-client-secret',
    OUTBOX_INTERVAL_MS: '50',
    ...overrides,
  });
}
