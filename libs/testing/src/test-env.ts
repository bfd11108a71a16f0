import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markProjectionsWhole } from './projection-markers.js';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestEnv {
  env: Record<string, string>;
  dataDir: string;
  /** REDIS_NAMESPACE of this run: its Redis keys and channels start with it. */
  namespace: string;
  /** Removes the data folder (SQLite files, development secrets). */
  cleanup(): void;
}

export interface TestEnvOptions {
  /**
   * Mark the namespace's projections whole (default true), standing in for their owners (auth,
   * the key service), which a service's own tests do not run. False where the real owners run.
   */
  projectionsWhole?: boolean;
}

/** An environment for one service under test: its own data folder and Redis namespace, any free port. */
export function createTestEnv(overrides: Record<string, string> = {}, { projectionsWhole = true }: TestEnvOptions = {}): TestEnv {
  const dataDir = mkdtempSync(join(tmpdir(), 'sso-test-'));
  const namespace = `sso-test-${randomBytes(6).toString('hex')}:`;
  const env = { NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', REDIS_URL: TEST_REDIS_URL, REDIS_NAMESPACE: namespace, DATA_DIR: dataDir, LOG_LEVEL: 'info', ...overrides };
  if (projectionsWhole) markProjectionsWhole(env.REDIS_URL, env.REDIS_NAMESPACE);
  return {
    env,
    dataDir,
    namespace,
    cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
