import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logIn } from './service-clients.mjs';

/**
 * The demo apps that sign users in through auth, with the RFC 7591 metadata each is registered
 * with. The console is a confidential client with refresh tokens; the storefront a public one
 * (PKCE, no secret). `origin` is where browsers reach the app.
 */
export const webClients = {
  console: (origin) => ({
    name: 'console',
    scopes: ['billing:read', 'settings:read'],
    grant_types: ['authorization_code', 'refresh_token'],
    redirect_uris: [`${origin}/callback`],
    post_logout_redirect_uris: [`${origin}/`],
  }),
  storefront: (origin) => ({
    name: 'storefront',
    scopes: ['billing:read'],
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code'],
    redirect_uris: [`${origin}/storefront/callback`],
    post_logout_redirect_uris: [`${origin}/storefront/account`],
  }),
};

const FILE = 'web-clients.json';

/**
 * Development only: makes sure each demo app has its client at auth, registered for the given
 * origins ({ console, storefront }). A kept client is reused while auth still has it with the same
 * metadata (and, if confidential, the same secret); otherwise a new one is registered through the
 * admin API and the old one deleted. Returns { app: { clientId, clientSecret? } }.
 */
export async function ensureWebClients({ authUrl, adminUsername, adminPassword, dataDir, origins }) {
  const file = join(dataDir, FILE);
  const stored = readStored(file);
  const adminToken = await logIn(authUrl, adminUsername, adminPassword);
  const registered = await listClients(authUrl, adminToken);
  const result = {};
  for (const [app, metadataFor] of Object.entries(webClients)) {
    const wanted = metadataFor(origins[app]);
    const known = stored[app];
    const current = known && registered.find((client) => client.client_id === known.clientId);
    if (current && registeredAs(current, wanted) && (!known.clientSecret || (await authenticates(authUrl, known)))) {
      result[app] = known;
      continue;
    }
    // Registered otherwise before (the app's port moved, its metadata changed): that client goes.
    if (current) await fetch(`${authUrl}/admin/clients/${encodeURIComponent(current.client_id)}`, { method: 'DELETE', headers: { authorization: `Bearer ${adminToken}` } });
    const response = await fetch(`${authUrl}/admin/clients`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }, body: JSON.stringify(wanted) });
    if (response.status !== 201) throw new Error(`could not register the ${app} app's client at auth (HTTP ${response.status}: ${await response.text()})`);
    const { client_id: clientId, client_secret: clientSecret } = await response.json();
    result[app] = clientSecret ? { clientId, clientSecret } : { clientId };
  }
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return result;
}

async function listClients(authUrl, adminToken) {
  const clients = [];
  for (let offset = 0; ; offset += 100) {
    const response = await fetch(`${authUrl}/admin/clients?offset=${offset}&limit=100`, { headers: { authorization: `Bearer ${adminToken}` } });
    if (response.status !== 200) throw new Error(`could not list the clients at auth (HTTP ${response.status})`);
    const page = await response.json();
    clients.push(...page.items);
    if (clients.length >= page.total || page.items.length === 0) return clients;
  }
}

/** The client at auth has the metadata the app would be registered with now. */
function registeredAs(client, wanted) {
  const metadata = (of) => JSON.stringify([of.scopes, of.grant_types, of.token_endpoint_auth_method ?? 'client_secret_basic', of.redirect_uris, of.post_logout_redirect_uris]);
  return metadata(client) === metadata(wanted);
}

/** A confidential client's secret still works: introspection takes any client's authentication. */
async function authenticates(authUrl, { clientId, clientSecret }) {
  const response = await fetch(`${authUrl}/oauth/introspect`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: 'probe', client_id: clientId, client_secret: clientSecret }),
  });
  return response.status === 200;
}

function readStored(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

/**
 * Each demo app's settings, by the service that runs it: where browsers reach it, the services
 * it calls with its users' tokens, and its client at auth when one was registered here.
 */
export function webAppEnv({ origins, billingUrl, settingsUrl, clients = {} }) {
  return {
    console: {
      CONSOLE_URL: origins.console,
      STOREFRONT_URL: origins.storefront,
      BILLING_URL: billingUrl,
      SETTINGS_URL: settingsUrl,
      ...(clients.console && { CONSOLE_CLIENT_ID: clients.console.clientId, CONSOLE_CLIENT_SECRET: clients.console.clientSecret }),
    },
    product: { STOREFRONT_URL: origins.storefront, BILLING_URL: billingUrl, ...(clients.storefront && { STOREFRONT_CLIENT_ID: clients.storefront.clientId }) },
  };
}
