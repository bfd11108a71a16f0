import { describe, expect, it } from '@jest/globals';
import { createRedisClient } from './redis-client.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const commandClassOf = (client: object) => Object.getPrototypeOf(Object.getPrototypeOf(client)) as object;

describe('createRedisClient', () => {
  it('gives every client the same command class, whatever its name', () => {
    const [first, second] = [createRedisClient({ url: REDIS_URL, name: 'one' }), createRedisClient({ url: 'redis://other.invalid:6380', name: 'two', commandTimeoutMs: 50 })];
    expect(commandClassOf(first)).toBe(commandClassOf(second));
  });

  it('connects under its name and speaks RESP2', async () => {
    const client = createRedisClient({ url: REDIS_URL, name: 'contracts-spec' });
    await client.connect();
    try {
      const info = await client.sendCommand(['CLIENT', 'INFO']);
      expect(String(info)).toMatch(/ name=contracts-spec /);
      expect(String(info)).toMatch(/ resp=2\b/);
      const key = `contracts-spec:${process.pid}`;
      await client.hSet(key, { a: '1' });
      expect(await client.hGetAll(key)).toEqual({ a: '1' });
      await client.del(key);
    } finally {
      await client.quit();
    }
  });
});
