import { Controller, Get, HttpStatus, Inject, Post, Req, Res } from '@nestjs/common';
import { type ApiAnswer, type AppSession, callWithToken, escapeHtml, IssuerUnavailableError, RelyingParty, sendAppPage } from '@sso/relying-party';
import type { Request, Response } from 'express';
import type { ConsoleConfig } from './config.js';
import { CONSOLE_CONFIG } from './console.tokens.js';

interface Invoice {
  id: string;
  period: string;
  total: number;
  currency: string;
}

/**
 * The console, a demo app signed in through the issuer: its home page shows who is signed in,
 * their invoices from billing and their settings, both fetched with the console's access token.
 */
@Controller()
export class ConsoleController {
  constructor(
    private readonly relyingParty: RelyingParty,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  @Get()
  async home(@Req() request: Request, @Res() response: Response): Promise<void> {
    let session: AppSession | undefined;
    try {
      session = await this.relyingParty.signedIn(request);
    } catch (error) {
      if (error instanceof IssuerUnavailableError) return this.relyingParty.sendProblem(response, HttpStatus.SERVICE_UNAVAILABLE, 'Console unavailable', error.message);
      throw error;
    }
    if (!session) {
      return sendAppPage(response, HttpStatus.OK, 'Console', `      <h1>Console</h1>\n      <p id="signed-out">You are not signed in.</p>\n      <p><a href="/signin">Sign in</a></p>`);
    }
    const [invoices, settings] = await Promise.all([callWithToken<{ items: Invoice[] }>(session, `${this.config.BILLING_URL}/invoices`), callWithToken<Record<string, unknown>>(session, `${this.config.SETTINGS_URL}/settings`)]);
    sendAppPage(response, HttpStatus.OK, 'Console', this.homeOf(session, invoices, settings));
  }

  @Get('signin')
  signIn(@Res() response: Response): Promise<void> {
    return this.relyingParty.signIn(response, '/');
  }

  @Get('callback')
  callback(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.relyingParty.callback(request, response);
  }

  /** A form post, not a link: another site cannot sign the user out by embedding it. */
  @Post('signout')
  signOut(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.relyingParty.signOut(request, response);
  }

  @Get('health/ready')
  ready(): { status: string } {
    return { status: 'ok' };
  }

  private homeOf(session: AppSession, invoices: ApiAnswer<{ items: Invoice[] }>, settings: ApiAnswer<Record<string, unknown>>): string {
    const rows = invoices.body?.items.map((invoice) => `          <li>${escapeHtml(invoice.period)}: ${escapeHtml((invoice.total / 100).toFixed(2))} ${escapeHtml(invoice.currency)}</li>`) ?? [];
    const invoiceList = invoices.body ? (rows.length > 0 ? `        <ul>\n${rows.join('\n')}\n        </ul>` : '        <p>No invoices yet.</p>') : `        <p>Billing answered ${invoices.status}.</p>`;
    const namespaces = settings.body ? Object.keys(settings.body).map(escapeHtml).join(', ') || 'none yet' : `settings answered ${settings.status}`;
    return `      <h1>Console</h1>
      <p id="signed-in">Signed in as <strong>${escapeHtml(session.username)}</strong>.</p>
      <section id="invoices" data-status="${invoices.status}">
        <h2>Your invoices (from billing)</h2>
${invoiceList}
      </section>
      <p id="settings" data-status="${settings.status}">Your settings namespaces: ${namespaces}.</p>
      <p><a href="${escapeHtml(`${this.config.STOREFRONT_URL}/storefront/account`)}">Storefront</a> · <a href="${escapeHtml(`${this.config.AUTH_ISSUER}/account`)}">Your account</a></p>
      <form method="post" action="/signout"><button type="submit">Sign out</button></form>`;
  }
}
