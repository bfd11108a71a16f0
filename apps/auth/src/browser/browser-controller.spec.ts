import { describe, expect, it } from '@jest/globals';
import { cookieOptions } from './browser-cookies.js';
import { safeReturnPath } from './browser.controller.js';

describe('the browser sign-in pieces', () => {
  it('sends the browser on only to a path of the issuer', () => {
    expect(safeReturnPath('/account?tab=sessions')).toBe('/account?tab=sessions');
    expect(safeReturnPath('/authorize?client_id=a&redirect_uri=https%3A%2F%2Fapp.example%2Fcb')).toBe('/authorize?client_id=a&redirect_uri=https%3A%2F%2Fapp.example%2Fcb');
    for (const foreign of ['//evil.example', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '', '/a b', undefined, ['/account'], `/${'a'.repeat(2_000)}`]) {
      expect(safeReturnPath(foreign)).toBe('/account');
    }
  });

  it('makes cookies scripts cannot read, sent on top-level navigations only, Secure in production', () => {
    expect(cookieOptions(false)).toEqual({ httpOnly: true, sameSite: 'lax', secure: false, path: '/' });
    expect(cookieOptions(true, 1_000)).toEqual({ httpOnly: true, sameSite: 'lax', secure: true, path: '/', maxAge: 1_000 });
  });
});
