import { describe, expect, it } from '@jest/globals';
import { AuthRejection } from '@sso/auth';
import { mintApiKey } from '@sso/contracts';
import { ADMIN_KEY_REFUSED, AdminKeyVerifier } from './admin-key.verifier.js';

const ADMIN_KEY = '0123456789abcdef0123456789abcdef';
const check = (key: string, applicationId?: string) => ({ key, applicationId, acl: ['admin'], request: { headers: {} } });

describe('AdminKeyVerifier', () => {
  const verifier = new AdminKeyVerifier(ADMIN_KEY, 'SSODEMO');

  it('accepts the admin key with the right application id as the admin principal', async () => {
    await expect(verifier.verify(check(ADMIN_KEY, 'SSODEMO'))).resolves.toEqual({ kind: 'api-key', subject: 'admin', scopes: ['api-keys:admin'], claims: {} });
  });

  it.each([
    ['another application id', ADMIN_KEY, 'OTHERAPP'],
    ['no application id', ADMIN_KEY, undefined],
    ['a key differing in its last character', `${ADMIN_KEY.slice(0, -1)}0`, 'SSODEMO'],
    ['a prefix of the admin key', ADMIN_KEY.slice(0, 16), 'SSODEMO'],
    ['a managed key', mintApiKey(), 'SSODEMO'],
    ['an empty key', '', 'SSODEMO'],
  ])('refuses %s with api_key_refused', async (_name, key, applicationId) => {
    const refusal = await verifier.verify(check(key, applicationId)).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AuthRejection);
    expect(refusal).toMatchObject({ reason: 'api_key_refused', description: ADMIN_KEY_REFUSED });
  });
});
