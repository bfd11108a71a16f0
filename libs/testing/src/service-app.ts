import type { AddressInfo, Server } from 'node:net';
import { Writable } from 'node:stream';

export interface CapturedLogs {
  /** Give this to the service as its log destination. */
  destination: Writable;
  /** Every JSON line written so far. */
  lines: Array<Record<string, unknown>>;
}

/** Collects a service's JSON log lines in memory instead of printing them. */
export function captureLogs(): CapturedLogs {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { destination, lines };
}

interface ListeningApp {
  listen(port: number, host: string): Promise<unknown>;
  getHttpServer(): Server;
}

/** Listens on a free port of 127.0.0.1 and returns the base URL, e.g. http://127.0.0.1:41234 */
export async function listenOnLoopback(app: ListeningApp): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}
