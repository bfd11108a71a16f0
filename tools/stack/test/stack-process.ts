import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const workspaceRoot = fileURLToPath(new URL('../../..', import.meta.url));
const launcher = fileURLToPath(new URL('../src/start.mjs', import.meta.url));

export interface Launched {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
}

/** Runs `npm start`'s launcher (without its build step: the test target builds first). */
export function launchStack(env: Record<string, string>): Launched {
  return run(process.execPath, [launcher, '--no-build'], env);
}

/** Runs a built service's main.js as `npm start` would. */
export function launchService(service: string, env: Record<string, string>): Launched {
  return run(process.execPath, [`${workspaceRoot}apps/${service}/dist/main.js`], env);
}

function run(command: string, args: string[], env: Record<string, string>): Launched {
  const child = spawn(command, args, { cwd: workspaceRoot, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return { child, output: () => output, exited };
}
