/**
 * Redis holds projections of facts that databases own (revocations: auth; API keys: the key
 * service). Redis may forget them (a restart without persistence, a failover to a replica
 * that lags, a flush), so each owner marks a projection it has written whole:
 *
 * | key                         | holds                                                   |
 * |-----------------------------|---------------------------------------------------------|
 * | `<ns>projection:<name>`     | ProjectionGeneration (JSON), set after a complete build |
 *
 * A missing marker means the projection is not whole (Redis lost it, or its owner is
 * rebuilding): a guard then decides only what it already knows and answers 503 for the rest.
 * A new `generation` means a complete rebuild: a guard may replace what it holds with it. The
 * same generation after a reconnect may still have lost writes (a lagging replica): a guard
 * merges what it loads into what it holds. `source` names the database the projection was
 * built from, so an owner never mixes its facts with another database's.
 */
export interface ProjectionGeneration {
  v: 1;
  /** Random, new at each complete build. */
  generation: string;
  /** The identity of the owner's database. */
  source: string;
  /** When the build completed (ms since the epoch). */
  builtAt: number;
}

export type ProjectionName = 'revocations' | 'api-keys';

export const projectionGenerationKey = (namespace: string, name: ProjectionName) => `${namespace}projection:${name}`;

export function encodeProjectionGeneration(marker: Omit<ProjectionGeneration, 'v'>): string {
  return JSON.stringify({ v: 1, generation: marker.generation, source: marker.source, builtAt: marker.builtAt });
}

/** undefined for a missing or malformed marker: either way the projection is not known to be whole. */
export function decodeProjectionGeneration(json: string | null | undefined): ProjectionGeneration | undefined {
  if (typeof json !== 'string') return undefined;
  try {
    const parsed = JSON.parse(json) as Partial<ProjectionGeneration>;
    if (parsed.v !== 1 || typeof parsed.generation !== 'string' || !parsed.generation || typeof parsed.source !== 'string' || !parsed.source || typeof parsed.builtAt !== 'number') return undefined;
    return { v: 1, generation: parsed.generation, source: parsed.source, builtAt: parsed.builtAt };
  } catch {
    return undefined;
  }
}
