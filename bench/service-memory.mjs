// Each built service's resident memory when idle: started alone as `npm start` runs it (SQLite
// under a temporary DATA_DIR, development defaults, the benchmark's Redis), ready, then left
// alone a few seconds; VmRSS from /proc, so the figure is the process as the system sees it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sparePort } from '@sso/testing/fixtures';
import { rssMb } from './proc-stats.mjs';

const WORKSPACE = fileURLToPath(new URL('..', import.meta.url));
const IDLE_MS = 3_000;

/** MB of resident memory of each service, idle after start; services in order, one at a time. */
export async function idleMemoryOf(services, { redisUrl, namespace, extraEnv = {} }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sso-bench-memory-'));
  const result = {};
  try {
    for (const name of services) result[name] = await idleMemory(name, { ...extraEnv[name], REDIS_URL: redisUrl, REDIS_NAMESPACE: namespace, DATA_DIR: dataDir });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return result;
}

async function idleMemory(name, env) {
  const port = await sparePort();
  const child = spawn(process.execPath, [join(WORKSPACE, 'apps', name, 'dist', 'main.js')], {
    cwd: WORKSPACE,
    env: { PATH: process.env.PATH, NODE_ENV: 'development', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk) => (errors += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${name} exited: ${errors}`);
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then((response) => response.status === 200, () => false);
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`${name} was not ready within 60 s: ${errors}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    return rssMb(child.pid);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
