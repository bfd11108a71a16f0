import { parseCookie } from 'cookie';
import type { CookieOptions, Request, Response } from 'express';

/** `<session id>.<secret>` of a browser signed in at the issuer. */
export const SESSION_COOKIE = 'sso_session';
/** The random value the sign-in form's CSRF token is bound to. */
export const SIGN_IN_COOKIE = 'sso_sign_in';

/** Not readable by scripts, sent on top-level navigations from other sites (an app sending the user here) but not on their posts. */
export function cookieOptions(secure: boolean, maxAgeMs?: number): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure, path: '/', ...(maxAgeMs === undefined ? {} : { maxAge: maxAgeMs }) };
}

export function cookieOf(request: Request, name: string): string | undefined {
  const header = request.headers.cookie;
  return header ? parseCookie(header)[name] : undefined;
}

export function clearCookie(response: Response, name: string, secure: boolean): void {
  response.clearCookie(name, cookieOptions(secure));
}
