#!/usr/bin/env node
// Login and token-issuing throughput of the built auth service, measured over HTTP on this
// machine. Usage: npm run build && node apps/auth/bench/throughput.mjs [requests] [concurrency]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const requests = Number(process.argv[2] ?? 400);
const concurrency = Number(process.argv[3] ?? 16);
const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const password = 'benchmark-admin-password';

const port = await new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = server.address();
    server.close(() => resolve(free));
  });
});
const url = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'sso-bench-'));
const child = spawn(process.execPath, [main], {
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, AUTH_ISSUER: url, AUTH_ADMIN_PASSWORD: password, REDIS_NAMESPACE: `sso-bench-${port}:`, LOG_LEVEL: 'warn', AUTH_LOGIN_MAX_FAILURES_PER_USER: '1000', AUTH_LOGIN_MAX_ATTEMPTS_PER_IP: '100000' },
  stdio: ['ignore', 'ignore', 'inherit'],
});

try {
  for (let ready = false; !ready; await new Promise((resolve) => setTimeout(resolve, 200))) {
    ready = await fetch(`${url}/health/ready`).then((response) => response.ok, () => false);
  }
  const json = (path, body, headers = {}) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const login = () => json('/auth/login', { username: 'admin', password });
  const { access_token } = await (await login()).json();
  const client = await (await json('/admin/clients', { name: 'bench', scopes: ['billing:read'] }, { authorization: `Bearer ${access_token}` })).json();
  const clientCredentials = () =>
    fetch(`${url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret }) });

  console.log(`auth service throughput: ${requests} requests per case, ${concurrency} in flight, RS256, scrypt cost 2^15, SQLite`);
  for (const [name, call] of [['POST /auth/login (scrypt + session + tokens)', login], ['POST /oauth/token client_credentials', clientCredentials]]) {
    const result = await measure(call);
    console.log(`${name.padEnd(48)} ${result.perSecond.toFixed(0).padStart(6)} req/s   p50 ${result.p50.toFixed(1)} ms   p99 ${result.p99.toFixed(1)} ms   errors ${result.errors}`);
  }
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}

async function measure(call) {
  const latencies = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < requests) {
        const begin = performance.now();
        const response = await call();
        await response.arrayBuffer();
        if (response.status !== 200) errors++;
        latencies.push(performance.now() - begin);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: requests / seconds, p50: latencies[Math.floor(latencies.length * 0.5)], p99: latencies[Math.floor(latencies.length * 0.99)], errors };
}
