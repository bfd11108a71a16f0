import { describe, expect, it } from '@jest/globals';
import { parseSecuredApiKey, securedKeyMac, securedKeyMatches, securedKeyRestrictions } from './secured-api-key.js';

// The published test vector (API-KEYS.md).
const PARENT = '2640659426d5107b6e47d75db9cbaef8';
const QS = 'restrictIndices=Movies&validUntil=2524604400';
const MAC = '61afa48a212798b87499d8c4b71c9ccc66e6419ef446c1ba60670d200926ad2f';
const SECURED = 'NjFhZmE0OGEyMTI3OThiODc0OTlkOGM0YjcxYzljY2M2NmU2NDE5ZWY0NDZjMWJhNjA2NzBkMjAwOTI2YWQyZnJlc3RyaWN0SW5kaWNlcz1Nb3ZpZXMmdmFsaWRVbnRpbD0yNTI0NjA0NDAw';

describe('secured API keys', () => {
  it('reads the published test vector', () => {
    expect(securedKeyMac(PARENT, QS)).toBe(MAC);
    const parsed = parseSecuredApiKey(SECURED);
    expect(parsed).toEqual({ mac: MAC, queryString: QS });
    expect(securedKeyMatches(parsed!, PARENT)).toBe(true);
    expect(securedKeyMatches(parsed!, `${PARENT.slice(0, -1)}9`)).toBe(false);
    expect(securedKeyRestrictions(QS)).toEqual({ validUntil: 2524604400, restrictIndices: ['Movies'], searchParameters: {} });
  });

  it('refuses values that cannot be secured keys', () => {
    expect(parseSecuredApiKey('ak_not-base64!')).toBeUndefined();
    expect(parseSecuredApiKey(Buffer.from('nothex'.repeat(11)).toString('base64'))).toBeUndefined();
    expect(parseSecuredApiKey('QUJD')).toBeUndefined();
  });

  it('separates restrictions from forced search parameters and refuses malformed ones', () => {
    expect(securedKeyRestrictions('filters=brand%3Aacme&hitsPerPage=5&referers=https%3A%2F%2Fa.example%2F*%2Chttps%3A%2F%2Fb.example%2F*&restrictSources=192.168.1.0%2F24&userToken=user%2042')).toEqual({
      referers: ['https://a.example/*', 'https://b.example/*'],
      restrictSources: '192.168.1.0/24',
      userToken: 'user 42',
      searchParameters: { filters: 'brand:acme', hitsPerPage: '5' },
    });
    expect(securedKeyRestrictions('validUntil=soon')).toBeUndefined();
    expect(securedKeyRestrictions('restrictSources=example.com')).toBeUndefined();
  });
});
