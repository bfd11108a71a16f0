import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { encodeProjectionGeneration, projectionGenerationKey, type ProjectionName } from '@sso/contracts';

export const PROJECTIONS: readonly ProjectionName[] = ['revocations', 'api-keys'];

/** A generation marker as an owner writes it after a complete build; `source` names a test's stand-in owner. */
export function projectionMarker(namespace: string, name: ProjectionName): [key: string, value: string] {
  return [projectionGenerationKey(namespace, name), encodeProjectionGeneration({ generation: randomUUID(), source: 'test-stand-in', builtAt: Date.now() })];
}

/**
 * Marks the projections of a namespace whole, as their owners (auth, the key service) do once
 * they have built them: a service under test without those owners running would otherwise, as
 * it must, trust nothing in Redis and refuse every request it cannot decide. Synchronous
 * (redis-cli), so that an environment is ready as soon as it is made.
 */
export function markProjectionsWhole(redisUrl: string, namespace: string, names: readonly ProjectionName[] = PROJECTIONS): void {
  const pairs = names.flatMap((name) => projectionMarker(namespace, name));
  execFileSync('redis-cli', ['-u', redisUrl, 'MSET', ...pairs], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 5_000 });
}
