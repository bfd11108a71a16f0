import { Controller, Get, HttpStatus, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public, SERVICE_CONFIG } from '@sso/platform';
import type { Request, Response } from 'express';
import { AuditService } from '../audit/audit.service.js';
import { cookieOf, SESSION_COOKIE } from '../browser/browser-cookies.js';
import { seeOther, sendPage } from '../browser/answers.js';
import { messagePage } from '../browser/pages.js';
import { ClientsService } from '../clients/clients.service.js';
import type { AuthConfig } from '../config.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { AuthorizationCodesService } from './authorization-codes.service.js';
import { AuthorizationPageError, AuthorizationRedirectError, authorizationRequestOf } from './authorization-request.js';

/** Parameters that ask for a fresh sign-in; they are left out of the URL the sign-in form returns to. */
const FRESH_SIGN_IN_PARAMETERS = ['prompt', 'max_age'];

/**
 * The authorization endpoint (OpenID Connect Core §3.1.2, RFC 6749 §4.1): the code flow with
 * PKCE. A browser already signed in at the issuer gets its code at once, which is single sign-on;
 * otherwise it goes to the sign-in form and comes back. Applications are first-party: there is
 * no consent screen, and the scopes granted are those the client and the user both hold.
 */
@ApiExcludeController()
@Public()
@Controller()
export class AuthorizeController {
  constructor(
    private readonly clients: ClientsService,
    private readonly sessions: SessionsService,
    private readonly codes: AuthorizationCodesService,
    private readonly audit: AuditService,
    @Inject(SERVICE_CONFIG) private readonly config: AuthConfig,
  ) {}

  @Get('authorize')
  async authorize(@Query() query: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    try {
      const authorization = await authorizationRequestOf(query, (id) => this.clients.find(id));
      const signedIn = await this.sessions.browserSession(cookieOf(request, SESSION_COOKIE));
      const authTime = signedIn ? Math.floor(signedIn.session.createdAt.getTime() / 1000) : undefined;
      const tooOld = authTime !== undefined && authorization.maxAgeSeconds !== undefined && Date.now() / 1000 - authTime > authorization.maxAgeSeconds;
      if (!signedIn || authorization.prompt === 'login' || tooOld) {
        if (authorization.prompt === 'none') throw new AuthorizationRedirectError('login_required', 'the user is not signed in', authorization.redirectUri, authorization.state);
        return seeOther(response, `/login?fresh=1&return_to=${encodeURIComponent(returnPathOf(request))}`);
      }
      const scopes = authorization.scopes.filter((scope) => signedIn.user.scopes.includes(scope));
      const code = await this.codes.issue({
        clientId: authorization.client.id,
        userId: signedIn.user.id,
        sessionId: signedIn.session.id,
        redirectUri: authorization.redirectUri,
        scopes,
        openid: authorization.openid,
        offlineAccess: authorization.offlineAccess,
        nonce: authorization.nonce ?? null,
        codeChallenge: authorization.codeChallenge,
        authTime: authTime!,
      });
      await this.audit.record({ type: 'authorization.granted', subject: signedIn.user.id, actor: authorization.client.id, details: { sid: signedIn.session.id, scopes } });
      seeOther(response, this.callback(authorization.redirectUri, { code, state: authorization.state }));
    } catch (error) {
      if (error instanceof AuthorizationRedirectError) return seeOther(response, this.callback(error.redirectUri, { error: error.error, error_description: error.description, state: error.state }));
      if (error instanceof AuthorizationPageError) {
        sendPage(response, HttpStatus.BAD_REQUEST, messagePage('Sign-in request refused', `The application's request cannot be answered: ${error.message}.`, { href: '/account', text: 'Your account' }));
        return;
      }
      throw error;
    }
  }

  /** The client's redirect URI with the answer in its query (RFC 6749 §4.1.2), and `iss` (RFC 9207). */
  private callback(redirectUri: string, answer: Record<string, string | undefined>): string {
    const url = new URL(redirectUri);
    for (const [name, value] of Object.entries({ ...answer, iss: this.config.AUTH_ISSUER })) if (value !== undefined) url.searchParams.set(name, value);
    return url.toString();
  }
}

/** This request's path and query without the parameters that asked for a fresh sign-in, so coming back does not ask again. */
function returnPathOf(request: Request): string {
  const url = new URL(request.originalUrl, 'http://issuer.invalid');
  for (const name of FRESH_SIGN_IN_PARAMETERS) url.searchParams.delete(name);
  return `${url.pathname}${url.search}`;
}
