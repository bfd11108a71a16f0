import { Logger } from '@nestjs/common';
// node-redis's client alone: the `redis` package adds the modules (search, JSON, bloom, time
// series) that no one here uses, and half again the memory at import.
import { RedisClient as NodeRedisClient } from '@redis/client';

/**
 * RESP2 on purpose: replies keep the plain shapes every Redis client documents, and no
 * feature here needs RESP3's push or client-side caching.
 */
export type RedisClient = ReturnType<typeof createRedisClient>;

/**
 * node-redis builds a class with a method per command (about 500) for each client, unless the
 * options are the very ones of the client made before: they differ here by name, so every
 * client cost a new class, some 20 MB of start-up garbage each. One factory, made at the first
 * client, gives every client of the process the same class; only RESP shapes it.
 */
const RESP = 2;
const makeFactory = () => NodeRedisClient.factory({ RESP });
let sharedFactory: ReturnType<typeof makeFactory> | undefined;
const newClient = () => (sharedFactory ??= makeFactory());

export interface RedisClientSettings {
  url: string;
  /** CLIENT SETNAME, so `CLIENT LIST` shows which service holds a connection. */
  name: string;
  /** Milliseconds before a command fails instead of waiting; keeps callers and probes bounded. */
  commandTimeoutMs?: number;
}

/**
 * A client that reconnects forever (backing off to 2 s), rejects commands at once while
 * disconnected instead of queueing them, and bounds every command in time.
 */
export function createRedisClient({ url, name, commandTimeoutMs = 2_000 }: RedisClientSettings) {
  const logger = new Logger('Redis');
  const options = {
    url,
    name,
    // The class speaks the factory's RESP; the connection must say so too (node-redis's default is 3).
    RESP,
    disableOfflineQueue: true,
    commandOptions: { timeout: commandTimeoutMs },
    socket: {
      connectTimeout: 2_000,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000),
    },
  };
  const client = newClient()(options);
  let healthy = false;
  client.on('ready', () => {
    healthy = true;
    logger.log(`connected to ${redactedUrl(url)}`);
  });
  // Without an 'error' listener node-redis would crash the process; log each outage once.
  client.on('error', (error: Error) => {
    if (healthy) logger.warn(`connection to ${redactedUrl(url)} lost: ${error.message}; reconnecting`);
    healthy = false;
  });
  return client;
}

export function redactedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

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
