import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The OAuth clients the services use to call each other, with the scopes each needs. */
export const serviceClients = {
  billing: ['usage-tracking:read'],
  product: ['usage-tracking:write'],
};

const FILE = 'service-clients.json';

/**
 * Development only: makes sure each calling service has a working client at auth, reusing
 * the ones kept in DATA_DIR and registering (through the admin API) any that is missing or
 * no longer works. Returns { service: { clientId, clientSecret } }.
 */
export async function ensureServiceClients({ authUrl, adminUsername, adminPassword, dataDir }) {
  const file = join(dataDir, FILE);
  const stored = readStored(file);
  const result = {};
  let adminToken;
  for (const [service, scopes] of Object.entries(serviceClients)) {
    const known = stored[service];
    if (known && (await works(authUrl, known))) {
      result[service] = known;
      continue;
    }
    adminToken ??= await logIn(authUrl, adminUsername, adminPassword);
    const response = await fetch(`${authUrl}/admin/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ name: service, scopes }),
    });
    if (response.status !== 201) throw new Error(`could not register the ${service} client at auth (HTTP ${response.status})`);
    const { client_id: clientId, client_secret: clientSecret } = await response.json();
    result[service] = { clientId, clientSecret };
  }
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return result;
}

async function works(authUrl, { clientId, clientSecret }) {
  const response = await fetch(`${authUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
  return response.status === 200;
}

/** The administrator's access token, to register clients through the admin API. */
export async function logIn(authUrl, username, password) {
  const response = await fetch(`${authUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (response.status !== 200) throw new Error(`could not log in to auth as ${username} to register clients (HTTP ${response.status}); is AUTH_ADMIN_PASSWORD the administrator's password?`);
  return (await response.json()).access_token;
}

function readStored(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}
