import { createServer } from 'node:net';
import { createClient } from 'redis';

/** Resolves to undefined when Redis answers PING, else to a message saying what to do. */
export async function checkRedis(url) {
  const client = createClient({ url, RESP: 2, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return `Redis is not reachable at ${safeUrl(url)} (${error.code ?? error.message}).\n` +
      'Start it, for example: redis-server --daemonize yes --save "" --appendonly no\n' +
      'or point REDIS_URL at a running Redis.';
  } finally {
    if (client.isOpen) client.destroy();
  }
}

/** Resolves to undefined when `port` is free on `host`, else to a message naming the holder to stop. */
export function checkPort({ name, port, variable }, host) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error) =>
      resolve(
        error.code === 'EADDRINUSE'
          ? `Port ${port} (${name}) is already in use. Stop what holds it (see: ss -ltnp 'sport = :${port}') or choose another port with ${variable}=<port>.`
          : `Port ${port} (${name}) cannot be used: ${error.message}. Choose another port with ${variable}=<port>.`,
      ),
    );
    server.listen(port, host, () => server.close(() => resolve(undefined)));
  });
}

function safeUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an invalid REDIS_URL)';
  }
}
