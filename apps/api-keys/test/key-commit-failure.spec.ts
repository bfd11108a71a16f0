import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { apiKeyHash } from '@sso/contracts';
import { KeysHarness } from './keys-harness.js';

/**
 * A commit that fails after the Redis write: a deferred constraint trigger (PostgreSQL checks
 * it at COMMIT) refuses rows described "fail at commit". The service must then re-project the
 * key from the database, so Redis ends as the database is: without the new key, and with the
 * old settings of an updated one.
 */
describe('a commit that fails after the projection was written (PostgreSQL)', () => {
  let keys: KeysHarness;
  let existing: string;

  beforeAll(async () => {
    keys = await KeysHarness.start('PostgreSQL');
    existing = (await keys.client().addApiKey({ acl: ['search'], description: 'original' })).key;
    await keys.rows(`CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.description = 'fail at commit' THEN RAISE EXCEPTION 'refused at commit'; END IF; RETURN NEW; END $$`);
    await keys.rows(`CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT OR UPDATE ON api_keys
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_at_commit()`);
  });
  afterAll(() => keys?.close());

  it('removes a created key from Redis again (record, then a null event) and answers 500', async () => {
    const fields = await keys.redis.hLen(keys.hashKey);
    const from = keys.events.length;
    const response = await keys.request('POST', '/1/keys', { body: { acl: ['search'], description: 'fail at commit' } });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error', requestId: expect.any(String) });
    const events = await keys.eventsAfter(from, 2);
    expect(events).toEqual([
      { v: 1, hash: expect.any(String), record: expect.objectContaining({ acl: ['search'] }) },
      { v: 1, hash: events[0].hash, record: null },
    ]);
    expect(await keys.redis.hLen(keys.hashKey)).toBe(fields);
    expect(await keys.rows('SELECT id FROM api_keys')).toHaveLength(1);
  });

  it('puts an updated key’s committed settings back', async () => {
    const hash = apiKeyHash(existing);
    const before = await keys.redis.hGet(keys.hashKey, hash);
    const from = keys.events.length;
    const response = await keys.request('PUT', `/1/keys/${existing}`, { body: { acl: ['browse'], description: 'fail at commit' } });
    expect(response.status).toBe(500);
    expect((await keys.eventsAfter(from, 2)).map((event) => event.record?.acl)).toEqual([['browse'], ['search']]);
    expect(await keys.redis.hGet(keys.hashKey, hash)).toBe(before);
    expect(await keys.client().getApiKey({ key: existing })).toMatchObject({ acl: ['search'], description: 'original' });
  });
});
