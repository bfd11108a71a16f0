import { Controller, Get, HttpStatus, Inject, Query, Req, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public, SERVICE_CONFIG } from '@sso/platform';
import type { Request, Response } from 'express';
import { AccessTokenVerifier } from '../access/access-token.verifier.js';
import { clearCookie, cookieOf, SESSION_COOKIE } from '../browser/browser-cookies.js';
import { CsrfTokens } from '../browser/csrf-tokens.js';
import { seeOther, sendPage } from '../browser/answers.js';
import { messagePage, signOutConfirmationPage } from '../browser/pages.js';
import { ClientsService } from '../clients/clients.service.js';
import type { AuthConfig } from '../config.js';
import { SessionsService } from '../sessions/sessions.service.js';

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): an app sends the browser here
 * with the ID token it holds. That hint proves which sign-in to end, so the session ends at
 * once (and with it every app's tokens) and the browser goes back to a post-logout URI the
 * app registered, with its `state`. Without a hint a cross-site link could sign anyone out, so
 * the user is asked to confirm.
 */
@ApiExcludeController()
@Public()
@Controller()
export class EndSessionController {
  private readonly secureCookies: boolean;

  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly clients: ClientsService,
    private readonly sessions: SessionsService,
    private readonly csrf: CsrfTokens,
    @Inject(SERVICE_CONFIG) config: AuthConfig,
  ) {
    this.secureCookies = config.NODE_ENV === 'production';
  }

  @Get('end-session')
  async endSession(@Query() query: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    const text = (name: string) => (typeof query[name] === 'string' && query[name] !== '' ? (query[name] as string) : undefined);
    const [hintToken, clientIdParameter, postLogoutUri, state] = ['id_token_hint', 'client_id', 'post_logout_redirect_uri', 'state'].map(text);
    let hint: Awaited<ReturnType<AccessTokenVerifier['verifyIdTokenHint']>> | undefined;
    if (hintToken) {
      try {
        hint = await this.verifier.verifyIdTokenHint(hintToken);
      } catch (error) {
        if (error instanceof ServiceUnavailableException) throw error;
        return this.refuse(response, 'the id_token_hint is not an ID token of this issuer');
      }
    }
    const clientId = hint?.aud ?? clientIdParameter;
    if (hint && clientIdParameter && clientIdParameter !== hint.aud) return this.refuse(response, 'client_id is not the audience of the id_token_hint');
    if (postLogoutUri) {
      const client = clientId ? await this.clients.find(clientId) : null;
      if (!client?.postLogoutRedirectUris.includes(postLogoutUri)) return this.refuse(response, 'post_logout_redirect_uri is not one the application registered');
    }

    const signedIn = await this.sessions.browserSession(cookieOf(request, SESSION_COOKIE));
    if (!hint) {
      if (!signedIn) return sendPage(response, HttpStatus.OK, messagePage('Signed out', 'You are not signed in.', { href: '/login', text: 'Sign in' }));
      return sendPage(response, HttpStatus.OK, signOutConfirmationPage(this.csrf.tokenFor('account', signedIn.session.id)));
    }
    if (hint.sid) {
      const owner = (await this.sessions.openSessionsOf(hint.sub)).some((session) => session.id === hint.sid);
      if (owner) await this.sessions.revoke(hint.sid, 'rp_initiated_logout', hint.aud);
    }
    if (signedIn && signedIn.session.id === hint.sid) clearCookie(response, SESSION_COOKIE, this.secureCookies);
    if (!postLogoutUri) return sendPage(response, HttpStatus.OK, messagePage('Signed out', 'You are signed out of every application.', { href: '/login', text: 'Sign in again' }));
    const target = new URL(postLogoutUri);
    if (state) target.searchParams.set('state', state);
    seeOther(response, target.toString());
  }

  private refuse(response: Response, reason: string): void {
    sendPage(response, HttpStatus.BAD_REQUEST, messagePage('Sign-out request refused', `The application's request cannot be answered: ${reason}.`, { href: '/account', text: 'Your account' }));
  }
}
