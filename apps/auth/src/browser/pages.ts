import type { Session } from '../sessions/session.entity.js';

/**
 * The issuer's pages load nothing and can be framed by no one. No `form-action`: browsers apply
 * it to the redirects after a post too, and signing in (or out) ends in a redirect to the
 * application's registered URI, another origin; every form here posts to the issuer anyway.
 */
export const PAGE_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (character) => ENTITIES[character]);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escape(title)}</title>
  </head>
  <body>
    <main>
${body}
    </main>
  </body>
</html>
`;
}

export interface SignInPage {
  csrf: string;
  returnTo: string;
  username?: string;
  error?: string;
}

/** Works without JavaScript; every field has its label; an error is announced and tied to the fields. */
export function signInPage({ csrf, returnTo, username = '', error }: SignInPage): string {
  const described = error ? ' aria-describedby="sign-in-error" aria-invalid="true"' : '';
  return page(
    'Sign in',
    `      <h1>Sign in</h1>
${error ? `      <p id="sign-in-error" role="alert">${escape(error)}</p>\n` : ''}      <form method="post" action="/login">
        <input type="hidden" name="csrf" value="${escape(csrf)}">
        <input type="hidden" name="return_to" value="${escape(returnTo)}">
        <p><label for="username">Username</label><br><input id="username" name="username" autocomplete="username" required maxlength="64" value="${escape(username)}"${described}></p>
        <p><label for="password">Password</label><br><input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"${described}></p>
        <p><button type="submit">Sign in</button></p>
      </form>`,
  );
}

/** A page that only says something, e.g. that a form expired. */
export function messagePage(title: string, message: string, link: { href: string; text: string }): string {
  return page(title, `      <h1>${escape(title)}</h1>\n      <p>${escape(message)}</p>\n      <p><a href="${escape(link.href)}">${escape(link.text)}</a></p>`);
}

export interface AccountPage {
  username: string;
  currentSessionId: string;
  sessions: Session[];
  /** The applications' names by client id. */
  appNames: Map<string, string>;
  csrf: string;
}

const when = (date: Date | null) => (date ? `<time datetime="${date.toISOString()}">${escape(date.toISOString().replace('T', ' ').slice(0, 16))} UTC</time>` : '—');
const postButton = (action: string, label: string, csrf: string) =>
  `<form method="post" action="${escape(action)}"><input type="hidden" name="csrf" value="${escape(csrf)}"><button type="submit">${escape(label)}</button></form>`;

/** Who is signed in, their open sessions (browser sign-ins and API logins), the applications they signed in to, and the ways to end them. */
export function accountPage({ username, currentSessionId, sessions, appNames, csrf }: AccountPage): string {
  const appsOf = (session: Session) => (session.clientIds ?? []).flatMap((clientId) => appNames.get(clientId) ?? []);
  const rows = sessions
    .map((session) => {
      const device = session.browserSecretHash ? (session.userAgent ?? 'a browser') : 'API login';
      const current = session.id === currentSessionId ? ' <strong>(this browser)</strong>' : '';
      const apps = appsOf(session).map(escape).join(', ') || '—';
      return `          <tr><td>${escape(device)}${current}</td><td>${when(session.createdAt)}</td><td>${when(session.lastUsedAt)}</td><td>${apps}</td><td>${postButton(`/account/sessions/${session.id}/sign-out`, 'Sign out of this session', csrf)}</td></tr>`;
    })
    .join('\n');
  const apps = [...appNames.values()].map((name) => `        <li>${escape(name)}</li>`).join('\n');
  return page(
    'Your account',
    `      <h1>Your account</h1>
      <p>Signed in as <strong>${escape(username)}</strong>.</p>
      <h2>Applications you signed in to</h2>
${apps ? `      <ul>\n${apps}\n      </ul>` : '      <p>None yet.</p>'}
      <h2>Open sessions</h2>
      <table>
        <thead><tr><th scope="col">Device</th><th scope="col">Signed in</th><th scope="col">Last used here</th><th scope="col">Applications</th><th scope="col">Action</th></tr></thead>
        <tbody>
${rows}
        </tbody>
      </table>
      ${postButton('/account/sign-out-everywhere', 'Sign out everywhere', csrf)}
      ${postButton('/logout', 'Sign out', csrf)}`,
  );
}

/** Asked when a sign-out request cannot prove where it comes from: one button, posting the account page's sign-out form. */
export function signOutConfirmationPage(csrf: string): string {
  return page('Sign out?', `      <h1>Sign out?</h1>\n      <p>An application asked to sign you out of every application.</p>\n      ${postButton('/logout', 'Sign out', csrf)}\n      <p><a href="/account">Stay signed in</a></p>`);
}
