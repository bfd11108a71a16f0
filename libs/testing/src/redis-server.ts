import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { sparePort } from './ports.js';

export interface TestRedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM) and waits until it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port and waits until it accepts connections. */
  start(): Promise<void>;
  /**
   * Freezes the server (SIGSTOP): its connections stay open and the kernel still accepts new
   * ones, but nothing answers, as behind a half-open connection. Always `resume()` afterwards.
   */
  pause(): void;
  /** Thaws it (SIGCONT); harmless when it is not frozen or not running. */
  resume(): void;
}

/**
 * A redis-server of the test's own on a spare port, so a test can stop and restart Redis
 * without touching the shared one. Keeps nothing on disk.
 */
export async function startRedisServer(): Promise<TestRedisServer> {
  const port = await sparePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitForPort(port, 5_000);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    // Ended already (by an exit code, or by a signal): its 'exit' has been emitted.
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
      running.kill('SIGCONT'); // a frozen server would hold the SIGTERM until thawed
    });
  };
  const signal = (name: 'SIGSTOP' | 'SIGCONT') => {
    if (child && child.exitCode === null) child.kill(name);
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, stop, start, pause: () => signal('SIGSTOP'), resume: () => signal('SIGCONT') };
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => resolve(socket.end() !== undefined));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not listen on port ${port} within ${timeoutMs} ms`);
}
