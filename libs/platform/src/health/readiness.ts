/**
 * Rejects when `work` has not settled within `ms`, so one stuck dependency cannot hold a caller.
 * node-redis's own command timeout runs only until a command is written: on the socket of a
 * server that stopped answering (frozen, or behind a half-open connection) it waits until TCP
 * gives up, minutes later.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
