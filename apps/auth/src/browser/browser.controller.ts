import { randomBytes } from 'node:crypto';
import { Body, Controller, Get, HttpStatus, Inject, Param, Post, Query, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public, SERVICE_CONFIG } from '@sso/platform';
import type { Request, Response } from 'express';
import { AuditService } from '../audit/audit.service.js';
import { ClientsService } from '../clients/clients.service.js';
import type { AuthConfig } from '../config.js';
import { TooManyAttemptsException } from '../login/login-throttle.js';
import { LoginService } from '../login/login.service.js';
import type { Session } from '../sessions/session.entity.js';
import { SessionsService, type BrowserSession } from '../sessions/sessions.service.js';
import { clearCookie, cookieOf, cookieOptions, SESSION_COOKIE, SIGN_IN_COOKIE } from './browser-cookies.js';
import { CsrfTokens } from './csrf-tokens.js';
import { seeOther, sendPage } from './answers.js';
import { accountPage, messagePage, signInPage } from './pages.js';

const ACCOUNT = '/account';
const MAX_USERNAME = 64;
const MAX_PASSWORD = 1_024;

/**
 * Signing in at the issuer with a browser: the sign-in page (a form, no JavaScript), the
 * session cookie it sets, and the account page with the user's open sessions and applications. The cookie is
 * what lets the issuer recognise the user again; the password is asked for only here.
 */
@ApiExcludeController()
@Public()
@Controller()
export class BrowserController {
  private readonly secureCookies: boolean;

  constructor(
    private readonly login: LoginService,
    private readonly sessions: SessionsService,
    private readonly clients: ClientsService,
    private readonly csrf: CsrfTokens,
    private readonly audit: AuditService,
    @Inject(SERVICE_CONFIG) config: AuthConfig,
  ) {
    this.secureCookies = config.NODE_ENV === 'production';
  }

  /** `fresh=1`: the form even for a signed-in browser (an application asked for a new sign-in). */
  @Get('login')
  async signInForm(@Query('return_to') returnTo: unknown, @Query('fresh') fresh: unknown, @Req() request: Request, @Res() response: Response): Promise<void> {
    const target = safeReturnPath(returnTo);
    if (fresh !== '1' && (await this.sessions.browserSession(cookieOf(request, SESSION_COOKIE)))) return seeOther(response, target);
    this.showSignIn(response, HttpStatus.OK, { returnTo: target });
  }

  @Post('login')
  async signIn(@Body() body: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    const returnTo = safeReturnPath(body.return_to);
    if (!this.csrf.matches('sign-in', cookieOf(request, SIGN_IN_COOKIE), body.csrf)) return this.formExpired(response, `/login?return_to=${encodeURIComponent(returnTo)}`);
    const username = typeof body.username === 'string' ? body.username.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    if (!username || !password || username.length > MAX_USERNAME || password.length > MAX_PASSWORD) {
      return this.showSignIn(response, HttpStatus.BAD_REQUEST, { returnTo, username: username.slice(0, MAX_USERNAME), error: 'Enter your username and your password.' });
    }
    const ip = request.ip ?? 'unknown';
    let user;
    try {
      user = await this.login.checkPassword(username, password, ip);
    } catch (error) {
      if (error instanceof UnauthorizedException) return this.showSignIn(response, HttpStatus.UNAUTHORIZED, { returnTo, username, error: 'Invalid username or password.' });
      if (error instanceof TooManyAttemptsException) {
        response.set(error.responseHeaders);
        return this.showSignIn(response, HttpStatus.TOO_MANY_REQUESTS, { returnTo, username, error: 'Too many sign-in attempts. Try again later.' });
      }
      throw error;
    }
    // A new session and a new cookie at every sign-in; the one this browser had before ends.
    const previous = await this.sessions.browserSession(cookieOf(request, SESSION_COOKIE));
    if (previous) await this.sessions.revoke(previous.session.id, 'signed_in_again', user.id);
    const { session, cookieValue } = await this.sessions.openBrowserSession(user, request.headers['user-agent']);
    await this.audit.record({ type: 'login.succeeded', subject: user.id, actor: user.id, ip, details: { sid: session.id, via: 'browser' } });
    response.cookie(SESSION_COOKIE, cookieValue, cookieOptions(this.secureCookies, session.expiresAt.getTime() - Date.now()));
    clearCookie(response, SIGN_IN_COOKIE, this.secureCookies);
    seeOther(response, returnTo);
  }

  @Get('account')
  async account(@Req() request: Request, @Res() response: Response): Promise<void> {
    const signedIn = await this.sessions.browserSession(cookieOf(request, SESSION_COOKIE));
    if (!signedIn) return seeOther(response, `/login?return_to=${encodeURIComponent(ACCOUNT)}`);
    const sessions = await this.sessions.openSessionsOf(signedIn.user.id);
    const appNames = await this.appNamesOf(sessions);
    sendPage(response, HttpStatus.OK, accountPage({ username: signedIn.user.username, currentSessionId: signedIn.session.id, sessions, appNames, csrf: this.csrf.tokenFor('account', signedIn.session.id) }));
  }

  /** The names of the applications these sessions signed in to, by client id (a deleted client is left out). */
  private async appNamesOf(sessions: Session[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const clientId of new Set(sessions.flatMap((session) => session.clientIds ?? []))) {
      const client = await this.clients.find(clientId);
      if (client) names.set(clientId, client.name);
    }
    return names;
  }

  @Post('account/sessions/:sid/sign-out')
  async signOutOf(@Param('sid') sessionId: string, @Body() body: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    const signedIn = await this.accountForm(request, body, response);
    if (!signedIn) return;
    const own = (await this.sessions.openSessionsOf(signedIn.user.id)).some((session) => session.id === sessionId);
    if (own) await this.sessions.revoke(sessionId, 'signed_out', signedIn.user.id);
    if (sessionId !== signedIn.session.id) return seeOther(response, ACCOUNT);
    this.signedOut(response);
  }

  @Post('account/sign-out-everywhere')
  async signOutEverywhere(@Body() body: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    const signedIn = await this.accountForm(request, body, response);
    if (!signedIn) return;
    await this.sessions.revokeAllOf(signedIn.user.id, 'signed_out_everywhere', signedIn.user.id);
    this.signedOut(response);
  }

  @Post('logout')
  async signOut(@Body() body: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    const signedIn = await this.accountForm(request, body, response);
    if (!signedIn) return;
    await this.sessions.revoke(signedIn.session.id, 'signed_out', signedIn.user.id);
    this.signedOut(response);
  }

  /** This browser's session has ended: its cookie goes, and the sign-in form comes. */
  private signedOut(response: Response): void {
    clearCookie(response, SESSION_COOKIE, this.secureCookies);
    seeOther(response, '/login');
  }

  /** The signed-in browser posting one of the account page's own forms; otherwise the answer is sent and undefined returned. */
  private async accountForm(request: Request, body: Record<string, unknown>, response: Response): Promise<BrowserSession | undefined> {
    const signedIn = await this.sessions.browserSession(cookieOf(request, SESSION_COOKIE));
    if (!signedIn) {
      seeOther(response, `/login?return_to=${encodeURIComponent(ACCOUNT)}`);
      return undefined;
    }
    if (!this.csrf.matches('account', signedIn.session.id, body?.csrf)) {
      this.formExpired(response, ACCOUNT);
      return undefined;
    }
    return signedIn;
  }

  private showSignIn(response: Response, status: number, form: { returnTo: string; username?: string; error?: string }): void {
    const binding = randomBytes(32).toString('base64url');
    response.cookie(SIGN_IN_COOKIE, binding, cookieOptions(this.secureCookies));
    sendPage(response, status, signInPage({ ...form, csrf: this.csrf.tokenFor('sign-in', binding) }));
  }

  private formExpired(response: Response, retry: string): void {
    sendPage(response, HttpStatus.FORBIDDEN, messagePage('Form expired', 'This form expired or did not come from this site. Nothing was changed.', { href: retry, text: 'Try again' }));
  }
}

/** Only a path on this site (never `//host` or `/\host`, which browsers read as another site); the account page otherwise. */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2_000 || !/^\/(?![/\\])[^\s\\]*$/.test(value)) return ACCOUNT;
  return value;
}
