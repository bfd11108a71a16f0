import { Controller, Get, HttpStatus, Inject, NotFoundException, Optional, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@sso/auth';
import { type AppSession, callWithToken, escapeHtml, IssuerUnavailableError, RelyingParty, sendAppPage } from '@sso/relying-party';
import type { Request, Response } from 'express';
import { SERVICE_CONFIG } from '@sso/platform';
import type { ProductConfig } from '../config.js';

/**
 * The storefront's account page, a second demo app of the single sign-on: visitors sign in
 * through the issuer as the storefront's public client (PKCE, no secret), and the page reads
 * their invoices from billing with the storefront's own access token. A browser already signed
 * in at the issuer (at the console, say) is not asked for a password again.
 */
@ApiExcludeController()
@Public()
@Controller('storefront')
export class StorefrontAccountController {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ProductConfig,
    @Optional() private readonly relyingParty?: RelyingParty,
  ) {}

  @Get('account')
  async account(@Req() request: Request, @Res() response: Response): Promise<void> {
    const relyingParty = this.signInSetUp();
    let session: AppSession | undefined;
    try {
      session = await relyingParty.signedIn(request);
    } catch (error) {
      if (error instanceof IssuerUnavailableError) return relyingParty.sendProblem(response, HttpStatus.SERVICE_UNAVAILABLE, 'Account unavailable', error.message);
      throw error;
    }
    if (!session) {
      return sendAppPage(response, HttpStatus.OK, 'Storefront account', `      <h1>Storefront</h1>\n      <p id="signed-out">You are not signed in.</p>\n      <p><a href="/storefront/signin">Sign in</a> · <a href="/storefront/">Search the catalog</a></p>`);
    }
    const invoices = await callWithToken<{ total: number }>(session, `${this.config.BILLING_URL}/invoices`);
    const count = invoices.body?.total;
    sendAppPage(
      response,
      HttpStatus.OK,
      'Storefront account',
      `      <h1>Storefront</h1>
      <p id="signed-in">Welcome back, <strong>${escapeHtml(session.username)}</strong>.</p>
      <p id="invoices" data-status="${invoices.status}">${count === undefined ? `Billing answered ${invoices.status}.` : `You have ${count} invoice${count === 1 ? '' : 's'}.`}</p>
      <p><a href="/storefront/">Search the catalog</a></p>
      <form method="post" action="/storefront/signout"><button type="submit">Sign out</button></form>`,
    );
  }

  @Get('signin')
  signIn(@Res() response: Response): Promise<void> {
    return this.signInSetUp().signIn(response, '/storefront/account');
  }

  @Get('callback')
  callback(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.signInSetUp().callback(request, response);
  }

  /** A form post, not a link: another site cannot sign the visitor out by embedding it. */
  @Post('signout')
  signOut(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.signInSetUp().signOut(request, response);
  }

  private signInSetUp(): RelyingParty {
    if (!this.relyingParty) throw new NotFoundException({ message: 'sign-in is not set up at the storefront: set STOREFRONT_CLIENT_ID', code: 'storefront_sign_in_not_configured', error: 'Not Found' });
    return this.relyingParty;
  }
}
