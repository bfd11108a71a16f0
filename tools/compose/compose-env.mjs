#!/usr/bin/env node
// `npm run compose:env [file]`: writes the .env that `docker compose up` reads (default ./.env),
// with fresh random secrets. An existing file is never overwritten: it is checked instead, and
// every required variable it lacks is named.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const file = resolve(process.argv[2] ?? resolve(root, '.env'));

const base64url = (bytes) => () => randomBytes(bytes).toString('base64url');
/** What docker-compose.yml requires (`${NAME:?…}`), and how each secret is drawn. */
const secrets = {
  POSTGRES_PASSWORD: base64url(24),
  AUTH_ADMIN_PASSWORD: base64url(18),
  AUTH_KEY_ENCRYPTION_SECRET: base64url(32),
  // Algolia admin keys are 32 hex characters.
  API_KEYS_ADMIN_KEY: () => randomBytes(16).toString('hex'),
  API_KEYS_ENCRYPTION_SECRET: base64url(32),
  BILLING_CLIENT_SECRET: base64url(32),
  PRODUCT_CLIENT_SECRET: base64url(32),
};

if (existsSync(file)) {
  const present = new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => /^\s*([A-Z0-9_]+)\s*=\s*\S/.exec(line)?.[1])
      .filter(Boolean),
  );
  const missing = Object.keys(secrets).filter((name) => !present.has(name));
  if (missing.length > 0) {
    process.stderr.write(`${file} exists and was left as it is, but it lacks ${missing.join(', ')}: add them, or move the file away and run this again.\n`);
    process.exit(1);
  }
  process.stdout.write(`${file} exists and has every required secret; left as it is.\n`);
  process.exit(0);
}

const lines = [
  `# For \`docker compose up\`, written by \`npm run compose:env\` on ${new Date().toISOString().slice(0, 10)}.`,
  '# Secrets: keep this file private and out of version control (.gitignore lists it).',
  ...Object.entries(secrets).map(([name, draw]) => `${name}=${draw()}`),
  '',
  '# The public URL of auth: the `iss` of every token, what browsers see.',
  'AUTH_ISSUER=http://localhost:3000',
  'AUTH_ADMIN_USERNAME=admin',
  'API_KEYS_APP_ID=SSODEMO',
  '# Unit prices in minor units per "<service>.<metric>", and their currency.',
  'BILLING_PRICES={"product.requests":1}',
  'BILLING_CURRENCY=EUR',
  '# Published ports listen on this address; 0.0.0.0 exposes them on every interface.',
  'PUBLISH_ADDRESS=127.0.0.1',
  '# To run several replicas of a service, give it a free host port each: e.g. SETTINGS_PUBLISHED_PORT=',
  '# then `docker compose up -d --scale settings=2` and `docker compose port --index=2 settings 3004`.',
  '',
];
writeFileSync(file, lines.join('\n'), { mode: 0o600, flag: 'wx' });
process.stdout.write(`Wrote ${file} with fresh secrets. Next: docker compose up\n`);
