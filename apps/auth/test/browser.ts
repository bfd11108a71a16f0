import { parseSetCookie, type SetCookie } from 'cookie';

/** A browser as far as the issuer can tell: it keeps cookies, follows nothing by itself, and posts forms. */
export class Browser {
  readonly cookies = new Map<string, SetCookie>();

  constructor(
    private readonly base: string,
    readonly userAgent = 'Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0',
  ) {}

  async get(path: string): Promise<Response> {
    return this.keep(await fetch(`${this.base}${path}`, { redirect: 'manual', headers: this.headers() }));
  }

  async post(path: string, form: Record<string, string>): Promise<Response> {
    return this.keep(await fetch(`${this.base}${path}`, { method: 'POST', redirect: 'manual', headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) }));
  }

  /** The hidden CSRF field of the page's form (the first, or the one posting to `action`). */
  static csrfOf(html: string, action?: string): string {
    const form = action ? html.slice(html.indexOf(`action="${action}"`)) : html;
    return /name="csrf" value="([^"]+)"/.exec(form)![1];
  }

  async signIn(username: string, password: string, returnTo?: string): Promise<Response> {
    const form = await (await this.get(`/login${returnTo ? `?return_to=${encodeURIComponent(returnTo)}` : ''}`)).text();
    return this.post('/login', { username, password, csrf: Browser.csrfOf(form), return_to: /name="return_to" value="([^"]*)"/.exec(form)![1] });
  }

  private headers(): Record<string, string> {
    const cookie = [...this.cookies.values()].map(({ name, value }) => `${name}=${value}`).join('; ');
    return { 'user-agent': this.userAgent, ...(cookie ? { cookie } : {}) };
  }

  private keep(response: Response): Response {
    for (const header of response.headers.getSetCookie()) {
      const cookie = parseSetCookie(header);
      if (cookie.value === '' || (cookie.expires && cookie.expires.getTime() <= Date.now())) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie);
    }
    return response;
  }
}
