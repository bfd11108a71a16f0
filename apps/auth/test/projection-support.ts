import { decodeProjectionGeneration, projectionGenerationKey, REVOCATION_KINDS, revocationKey, type ProjectionGeneration, type RevocationKind } from '@sso/contracts';
import type { RedisClient } from '@sso/platform';
import { waitFor } from '@sso/testing';
import { DataSource } from 'typeorm';
import { Revocation } from '../src/revocation/revocation.entity.js';
import { RevocationStore } from '../src/revocation/revocation.store.js';
import type { AuthHarness } from './auth-harness.js';

export type Entries = Record<RevocationKind, Record<string, number>>;

/** The revocation projection's marker in a namespace, decoded; undefined when missing. */
export async function markerOf(redis: RedisClient, namespace: string): Promise<ProjectionGeneration | undefined> {
  return decodeProjectionGeneration(await redis.get(projectionGenerationKey(namespace, 'revocations')));
}

/** Waits until the marker is this auth's and (optionally) not the generation given. */
export async function projectionRebuilt(auth: AuthHarness, redis: RedisClient, options: { after?: string; timeoutMs?: number; namespace?: string } = {}): Promise<ProjectionGeneration> {
  const source = await auth.app.get(RevocationStore).sourceId();
  let marker: ProjectionGeneration | undefined;
  await waitFor(
    async () => {
      marker = await markerOf(redis, options.namespace ?? auth.config.REDIS_NAMESPACE).catch(() => undefined);
      return marker?.source === source && marker.generation !== options.after;
    },
    'the revocation projection to be rebuilt',
    options.timeoutMs ?? 15_000,
  );
  return marker!;
}

/** Every entry of the five sorted sets. */
export async function entriesInRedis(redis: RedisClient, namespace: string): Promise<Entries> {
  const entries = {} as Entries;
  for (const kind of REVOCATION_KINDS) {
    entries[kind] = Object.fromEntries((await redis.zRangeWithScores(revocationKey(namespace, kind), 0, -1)).map(({ value, score }) => [value, score]));
  }
  return entries;
}

/** Every row of the auth's revocations table, shaped like the sets. */
export async function entriesInDatabase(auth: AuthHarness): Promise<Entries> {
  const entries = Object.fromEntries(REVOCATION_KINDS.map((kind) => [kind, {}])) as Entries;
  for (const row of await auth.app.get(DataSource).getRepository(Revocation).find()) entries[row.kind][row.value] = row.score;
  return entries;
}
