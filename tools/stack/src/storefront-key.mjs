import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE = 'storefront-key.json';

/**
 * Development only: the search-only key product's storefront page hands to browsers. The key
 * kept in DATA_DIR is reused while the key service still knows it as it was made (the same ACL,
 * index and referers); otherwise a new one is made
 * through the key service's admin API: ACL `search`, index `products`, and referers limited to
 * product's own origins, so the page works where product serves it and nowhere else.
 */
export async function ensureStorefrontKey({ apiKeysUrl, applicationId, adminKey, productOrigins, dataDir }) {
  const file = join(dataDir, FILE);
  const admin = { 'x-algolia-application-id': applicationId, 'x-algolia-api-key': adminKey };
  const wanted = { acl: ['search'], indexes: ['products'], referers: productOrigins.map((origin) => `${origin}/storefront*`) };
  const stored = readStored(file);
  if (stored && (await describesAs(`${apiKeysUrl}/1/keys/${encodeURIComponent(stored)}`, admin, wanted))) return stored;
  const response = await fetch(`${apiKeysUrl}/1/keys`, {
    method: 'POST',
    headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({ ...wanted, description: 'storefront page (npm start)' }),
  });
  if (response.status !== 200) throw new Error(`could not create the storefront's search key at the key service (HTTP ${response.status})`);
  const { key } = await response.json();
  writeFileSync(file, `${JSON.stringify({ key })}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

/** The stored key still exists and still is what the page needs (product's port may have moved). */
async function describesAs(url, admin, wanted) {
  const response = await fetch(url, { headers: admin });
  if (response.status !== 200) return false;
  const described = await response.json();
  return Object.entries(wanted).every(([field, values]) => JSON.stringify(described[field]) === JSON.stringify(values));
}

function readStored(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8')).key;
  } catch {
    return undefined;
  }
}
