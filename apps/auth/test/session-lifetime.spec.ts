import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_PASSWORD, startAuth, type AuthHarness } from './auth-harness.js';

describe('the absolute session lifetime', () => {
  let auth: AuthHarness;
  beforeAll(async () => {
    auth = await startAuth({ AUTH_SESSION_MAX_AGE_SECONDS: '2' });
  });
  afterAll(() => auth?.close());

  it('caps rotation: however often a session refreshes, it ends at its maximum age', async () => {
    let { refresh_token } = (await (await auth.login('admin', ADMIN_PASSWORD)).json()) as { refresh_token: string };
    const refresh = () => auth.post('/oauth/token', { grant_type: 'refresh_token', refresh_token });
    const first = await refresh();
    expect(first.status).toBe(200);
    ({ refresh_token } = (await first.json()) as { refresh_token: string });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const late = await refresh();
    expect(late.status).toBe(400);
    expect(await late.json()).toMatchObject({ error: 'invalid_grant', error_description: 'the refresh token has expired' });
  });
});
