import { parseCookie } from 'cookie';
import type { CookieOptions, Request, Response } from 'express';
import * as oidc from 'openid-client';
import { escapeHtml, sendAppPage } from './app-page.js';
import { type AppSession, ExpiringMap, type PendingSignIn, randomId } from './app-sessions.js';

export interface RelyingPartyOptions {
  /** The issuer's URL (its discovery document is at `/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  /** A confidential client's secret (client_secret_basic); none for a public client. */
  clientSecret?: string;
  /** The app's callback, exactly as registered. */
  redirectUri: string;
  /** Where the issuer sends the browser after signing out, as registered. */
  postLogoutRedirectUri: string;
  /** e.g. `openid offline_access billing:read`. */
  scope: string;
  /** Names this app's cookies (`<name>_session`, `<name>_sign_in`): apps on one host must differ. */
  cookieName: string;
  /** The path the app's cookies are sent to. */
  cookiePath: string;
  /** The app's route that starts a sign-in (linked from error pages). */
  signInPath: string;
  /** Cookies only over HTTPS (production). */
  secureCookies: boolean;
  /** How long a sign-in stays valid in the app, in seconds. */
  sessionSeconds?: number;
}

/** The issuer could not be reached or answered what it should not: the app cannot tell who is signed in. */
export class IssuerUnavailableError extends Error {}

const SIGN_IN_SECONDS = 600;
const REFRESH_AHEAD_MS = 30_000;
const MAX_SESSIONS = 10_000;

/**
 * A web app signing its users in through the issuer with openid-client (OpenID Connect, code
 * flow with PKCE, nonce and state). The browser holds only an HttpOnly cookie naming a session
 * kept on the server: tokens never reach the page, its URL or its storage. Each request checks
 * the access token at the userinfo endpoint, so a sign-out anywhere is seen at once; the access
 * token is refreshed shortly before it ends. Sessions live in memory: one process, lost on
 * restart, which is enough for a demo app and what a real one would keep in a shared store.
 */
export class RelyingParty {
  private configuration?: Promise<oidc.Configuration>;
  private readonly sessions: ExpiringMap<AppSession>;
  private readonly pending = new ExpiringMap<PendingSignIn>(SIGN_IN_SECONDS * 1000, MAX_SESSIONS);
  private readonly refreshing = new Map<string, Promise<AppSession | undefined>>();

  constructor(private readonly options: RelyingPartyOptions) {
    this.sessions = new ExpiringMap((options.sessionSeconds ?? 8 * 3600) * 1000, MAX_SESSIONS);
  }

  /** Sends the browser to the issuer's authorization endpoint; `returnTo` is a path of this app. */
  async signIn(response: Response, returnTo: string): Promise<void> {
    const config = await this.config();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    this.pending.set(state, { codeVerifier, nonce, returnTo: safePath(returnTo, this.options.cookiePath) });
    response.cookie(this.cookie('sign_in'), state, this.cookieOptions(SIGN_IN_SECONDS * 1000));
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.options.redirectUri,
      scope: this.options.scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    seeOther(response, url.href);
  }

  /**
   * The redirect URI's route: completes the sign-in and sends the browser on, or shows why it
   * failed (400 to start again, 503 while the issuer cannot be reached).
   */
  async callback(request: Request, response: Response): Promise<void> {
    try {
      seeOther(response, await this.completeSignIn(request, response));
    } catch (error) {
      if (error instanceof SignInRefusedError) return this.sendProblem(response, 400, 'Sign-in failed', error.message);
      if (error instanceof IssuerUnavailableError) return this.sendProblem(response, 503, 'Sign-in unavailable', error.message);
      throw error;
    }
  }

  /** A page saying what went wrong, with a link to sign in again. */
  sendProblem(response: Response, status: number, title: string, message: string): void {
    sendAppPage(response, status, title, `      <h1>${escapeHtml(title)}</h1>\n      <p>${escapeHtml(message)}</p>\n      <p><a href="${escapeHtml(this.options.signInPath)}">Sign in</a></p>`);
  }

  /**
   * The issuer sent the browser back: the state must be the one this browser started with; the
   * code is exchanged with the verifier and the ID token checked. Returns the path to go on to.
   */
  private async completeSignIn(request: Request, response: Response): Promise<string> {
    const state = this.cookieOf(request, 'sign_in');
    response.clearCookie(this.cookie('sign_in'), this.cookieOptions());
    const pending = state ? this.pending.take(state) : undefined;
    if (!state || !pending) throw new SignInRefusedError('this sign-in was not started here or has expired; please sign in again');
    const callback = new URL(request.originalUrl, this.options.redirectUri);
    const config = await this.config();
    let tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
    try {
      tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: pending.codeVerifier, expectedState: state, expectedNonce: pending.nonce, idTokenExpected: true });
    } catch (error) {
      if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError) throw new SignInRefusedError(`the issuer refused the sign-in (${error.error})`);
      throw new IssuerUnavailableError(`the sign-in could not be completed: ${(error as Error).message}`);
    }
    const claims = tokens.claims()!;
    const profile = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    const session: AppSession = {
      id: randomId(),
      sub: claims.sub,
      username: typeof profile.preferred_username === 'string' ? profile.preferred_username : claims.sub,
      accessToken: tokens.access_token,
      accessTokenExpiresAt: Date.now() + (tokens.expiresIn() ?? 0) * 1000,
      refreshToken: tokens.refresh_token,
      idToken: tokens.id_token!,
    };
    this.sessions.set(session.id, session);
    response.cookie(this.cookie('session'), session.id, this.cookieOptions((this.options.sessionSeconds ?? 8 * 3600) * 1000));
    return pending.returnTo;
  }

  /**
   * The user signed in to this app with a live access token, or undefined: no session, or the
   * issuer says the sign-in has ended (then the app forgets it too). Throws
   * IssuerUnavailableError when the issuer cannot say.
   */
  async signedIn(request: Request): Promise<AppSession | undefined> {
    const id = this.cookieOf(request, 'session');
    const session = id ? this.sessions.get(id) : undefined;
    if (!session) return undefined;
    const current = session.accessTokenExpiresAt - Date.now() < REFRESH_AHEAD_MS ? await this.refreshed(session) : session;
    if (!current) return undefined;
    const config = await this.config();
    try {
      await oidc.fetchUserInfo(config, current.accessToken, current.sub);
      return current;
    } catch (error) {
      if ((error instanceof oidc.WWWAuthenticateChallengeError || error instanceof oidc.ResponseBodyError) && error.status === 401) {
        this.sessions.delete(current.id);
        return undefined;
      }
      throw new IssuerUnavailableError(`the issuer could not confirm the sign-in: ${(error as Error).message}`);
    }
  }

  /**
   * Signs out of this app and, through the issuer's end-session endpoint (RP-initiated logout),
   * of every app: the browser goes to the issuer and comes back to the post-logout URI.
   */
  async signOut(request: Request, response: Response): Promise<void> {
    const id = this.cookieOf(request, 'session');
    const session = id ? this.sessions.get(id) : undefined;
    if (id) this.sessions.delete(id);
    response.clearCookie(this.cookie('session'), this.cookieOptions());
    if (!session) return seeOther(response, this.options.postLogoutRedirectUri);
    const url = oidc.buildEndSessionUrl(await this.config(), { id_token_hint: session.idToken, post_logout_redirect_uri: this.options.postLogoutRedirectUri });
    seeOther(response, url.href);
  }

  /** One refresh at a time per session; a refused refresh (the sign-in ended) forgets the session. */
  private refreshed(session: AppSession): Promise<AppSession | undefined> {
    if (!session.refreshToken) return Promise.resolve(session);
    let running = this.refreshing.get(session.id);
    if (!running) {
      running = this.refresh(session, session.refreshToken).finally(() => this.refreshing.delete(session.id));
      this.refreshing.set(session.id, running);
    }
    return running;
  }

  private async refresh(session: AppSession, refreshToken: string): Promise<AppSession | undefined> {
    try {
      const tokens = await oidc.refreshTokenGrant(await this.config(), refreshToken);
      const renewed = { ...session, accessToken: tokens.access_token, accessTokenExpiresAt: Date.now() + (tokens.expiresIn() ?? 0) * 1000, refreshToken: tokens.refresh_token ?? refreshToken };
      // Signed out (or expired) while the refresh ran: it stays gone.
      return this.sessions.replace(session.id, renewed) ? renewed : undefined;
    } catch (error) {
      if (error instanceof oidc.ResponseBodyError && error.error === 'invalid_grant') {
        this.sessions.delete(session.id);
        return undefined;
      }
      throw new IssuerUnavailableError(`the access token could not be refreshed: ${(error as Error).message}`);
    }
  }

  /** Discovery once, retried on the next request if the issuer was not reachable. */
  private config(): Promise<oidc.Configuration> {
    if (!this.configuration) {
      const { issuer, clientId, clientSecret } = this.options;
      const insecure = new URL(issuer).protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined;
      this.configuration = oidc.discovery(new URL(issuer), clientId, undefined, clientSecret ? oidc.ClientSecretBasic(clientSecret) : oidc.None(), insecure).catch((error: Error) => {
        this.configuration = undefined;
        throw new IssuerUnavailableError(`the issuer's discovery document could not be read: ${error.message}`);
      });
    }
    return this.configuration;
  }

  private cookie(kind: 'session' | 'sign_in'): string {
    return `${this.options.cookieName}_${kind}`;
  }

  private cookieOf(request: Request, kind: 'session' | 'sign_in'): string | undefined {
    const header = request.headers.cookie;
    return header ? parseCookie(header)[this.cookie(kind)] : undefined;
  }

  private cookieOptions(maxAgeMs?: number): CookieOptions {
    return { httpOnly: true, sameSite: 'lax', secure: this.options.secureCookies, path: this.options.cookiePath, ...(maxAgeMs === undefined ? {} : { maxAge: maxAgeMs }) };
  }
}

/** The sign-in cannot go on (expired, not started here, refused by the issuer): the user should start again. */
export class SignInRefusedError extends Error {}

function seeOther(response: Response, location: string): void {
  response.status(303).set('Cache-Control', 'no-store').location(location).end();
}

/** A path under the app's own, never another site (`//host`, `/\host`); the app's root otherwise. */
function safePath(path: string, root: string): string {
  return path.startsWith(root) && !/^\/[/\\]/.test(path) ? path : root;
}
