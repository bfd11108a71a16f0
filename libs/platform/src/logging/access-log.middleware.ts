import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * One line per answered request: method, path (never the query, which may carry a key),
 * status and duration. Probes and scrapes are not logged.
 */
export function accessLogMiddleware(logger: Logger) {
  return (req: IncomingMessage & { id?: string }, res: ServerResponse, next: () => void): void => {
    const path = (req.url ?? '/').split('?')[0];
    if (QUIET_PATHS.has(path)) return next();
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      // A 503 is a dependency's outage, already logged once where it was noticed: not an error per request.
      const level = res.statusCode >= 500 && res.statusCode !== 503 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      logger[level]({ requestId: req.id, method: req.method, path, status: res.statusCode, durationMs: Math.round(durationMs * 10) / 10 }, 'request completed');
    });
    next();
  };
}
