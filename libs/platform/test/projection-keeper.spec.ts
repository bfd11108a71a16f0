import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeProjectionGeneration, encodeProjectionGeneration } from '@sso/contracts';
import { startRedisServer, waitFor, type TestRedisServer } from '@sso/testing';
import { Registry } from 'prom-client';
import { createRedisClient, ProjectionKeeper, type ProjectionOwner, type RedisClient } from '../src/index.js';

const MARKER = 'sso:projection:revocations';

/** An owner whose database is a list of entries, and whose rebuilds the test can watch and hold up. */
function fakeOwner(source = 'db-a') {
  const calls: boolean[] = [];
  let hold: Promise<void> | undefined;
  const owner: ProjectionOwner & { calls: boolean[]; holdNext(): () => void; failNext: boolean } = {
    name: 'revocations',
    calls,
    failNext: false,
    sourceId: async () => source,
    rebuild: async (foreign) => {
      calls.push(foreign);
      await hold;
      if (owner.failNext) {
        owner.failNext = false;
        throw new Error('the database is away');
      }
      return 3;
    },
    holdNext: () => {
      let release = () => {};
      hold = new Promise((resolve) => (release = () => resolve()));
      return () => {
        hold = undefined;
        release();
      };
    },
  };
  return owner;
}

describe('ProjectionKeeper (a redis-server of our own)', () => {
  let server: TestRedisServer;
  let redis: RedisClient;
  let keeper: ProjectionKeeper | undefined;
  const marker = async () => decodeProjectionGeneration(await redis.get(MARKER));

  beforeAll(async () => {
    server = await startRedisServer();
    redis = createRedisClient({ url: server.url, name: 'keeper-test' });
    await redis.connect();
  });
  afterEach(async () => {
    await keeper?.close();
    keeper = undefined;
    await redis.flushAll();
  });
  afterAll(async () => {
    await redis.close();
    await server.stop();
  });

  it('rebuilds at start, marks a generation of its source, and counts the rebuild', async () => {
    const owner = fakeOwner();
    const registry = new Registry();
    keeper = new ProjectionKeeper(redis, owner, { namespace: 'sso:', checkIntervalMs: 100, registry });
    keeper.start();
    await waitFor(async () => (await marker()) !== undefined, 'the marker');
    expect(await marker()).toMatchObject({ source: 'db-a' });
    expect(owner.calls).toEqual([false]);
    expect(await registry.metrics()).toMatch(/sso_projection_rebuilds_total\{projection="revocations",reason="Redis became ready"\} 1/);
  });

  it('rebuilds after a flush, and replaces another database’s projection', async () => {
    const owner = fakeOwner();
    keeper = new ProjectionKeeper(redis, owner, { namespace: 'sso:', checkIntervalMs: 100 });
    keeper.start();
    await waitFor(async () => (await marker()) !== undefined, 'the first marker');
    const first = (await marker())!.generation;
    await redis.flushAll();
    await waitFor(async () => (await marker()) !== undefined, 'a marker after the flush');
    expect((await marker())!.generation).not.toBe(first);
    await redis.set(MARKER, encodeProjectionGeneration({ generation: 'theirs', source: 'db-b', builtAt: Date.now() }));
    await waitFor(async () => (await marker())?.source === 'db-a', 'our marker again');
    expect(owner.calls).toEqual([false, false, true]);
  });

  it('does not mark a projection flushed while it was being rebuilt, and rebuilds again', async () => {
    const owner = fakeOwner();
    const release = owner.holdNext();
    keeper = new ProjectionKeeper(redis, owner, { namespace: 'sso:', checkIntervalMs: 100 });
    keeper.start();
    await waitFor(() => owner.calls.length === 1, 'the rebuild to start');
    await redis.flushAll();
    release();
    await waitFor(() => owner.calls.length >= 2, 'a second rebuild');
    await waitFor(async () => (await marker()) !== undefined, 'the marker of a whole rebuild');
  });

  it('lets one of two owner replicas rebuild at a time, so the marker settles', async () => {
    const [first, second] = [fakeOwner(), fakeOwner()];
    const release = first.holdNext();
    keeper = new ProjectionKeeper(redis, first, { namespace: 'sso:', checkIntervalMs: 50 });
    const other = new ProjectionKeeper(redis, second, { namespace: 'sso:', checkIntervalMs: 50 });
    try {
      keeper.start();
      await waitFor(() => first.calls.length === 1, 'the first rebuild to start');
      other.start();
      // The second replica finds the first one rebuilding, however often it checks.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(second.calls).toEqual([]);
      release();
      await waitFor(async () => (await marker()) !== undefined, 'the marker');
      const settled = (await marker())!.generation;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await marker())!.generation).toBe(settled);
      expect(first.calls.length + second.calls.length).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('rebuilds when the owner says it lost a write, even with the marker standing', async () => {
    const owner = fakeOwner();
    keeper = new ProjectionKeeper(redis, owner, { namespace: 'sso:', checkIntervalMs: 100 });
    keeper.start();
    await waitFor(async () => (await marker()) !== undefined, 'the first marker');
    const first = (await marker())!.generation;
    keeper.owe('a write Redis refused');
    await waitFor(async () => (await marker())?.generation !== first && (await marker()) !== undefined, 'a new generation');
    expect(owner.calls.length).toBe(2);
  });

  it('retries a rebuild that failed at the next check', async () => {
    const owner = fakeOwner();
    owner.failNext = true;
    keeper = new ProjectionKeeper(redis, owner, { namespace: 'sso:', checkIntervalMs: 100 });
    keeper.start();
    await waitFor(async () => (await marker()) !== undefined, 'a marker after the retry');
    expect(owner.calls.length).toBe(2);
  });
});
