import type { Response } from 'express';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe to put in HTML, in element content or a quoted attribute. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => ENTITIES[character]);

/** The apps' pages load nothing, run no script and are framed by no one (no `form-action`: signing out posts, then redirects to the issuer). */
const APP_PAGE_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/** Sends a server-rendered page of a demo app; `body` is HTML its caller has escaped. */
export function sendAppPage(response: Response, status: number, title: string, body: string): void {
  response
    .status(status)
    .set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Security-Policy': APP_PAGE_POLICY, 'Referrer-Policy': 'no-referrer' })
    .send(`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(title)}</title>
  </head>
  <body>
    <main>
${body}
    </main>
  </body>
</html>
`);
}
