import type { ProjectionGeneration } from '@sso/contracts';
import { Gauge, type Registry } from 'prom-client';

type Reading = () => { live: boolean; generation?: ProjectionGeneration };

/**
 * A guard's view of one projection on /metrics, read at each scrape: whether it is live (whole
 * and current), the generation it holds, and that generation's age (time since its owner built it).
 */
export class ProjectionMetrics {
  private readonly removals: Array<() => void> = [];

  constructor(registry: Registry, projection: string, read: Reading) {
    const gauge = (name: string, help: string, labelNames: string[], collect: (set: Setter) => void) => this.removals.push(addGauge(registry, name, help, labelNames, collect));
    gauge('sso_projection_live', 'Whether the projection is held whole and current in memory (1) or checked in Redis per request (0)', ['projection'], (set) => set({ projection }, read().live ? 1 : 0));
    gauge('sso_projection_generation_info', 'The generation of the projection held in memory (value 1)', ['projection', 'generation'], (set) => {
      const { generation } = read();
      if (generation) set({ projection, generation: generation.generation }, 1);
    });
    gauge('sso_projection_generation_age_seconds', 'Time since the owner built the generation held in memory', ['projection'], (set) => {
      const { generation } = read();
      if (generation) set({ projection }, (Date.now() - generation.builtAt) / 1000);
    });
  }

  /** A closed projection reports nothing more. */
  close(): void {
    for (const remove of this.removals.splice(0)) remove();
  }
}

type Setter = (labels: Record<string, string>, value: number) => void;

/** One gauge per name in a registry, however many projections (or modules in tests) report to it; returns how to stop reporting. */
function addGauge(registry: Registry, name: string, help: string, labelNames: string[], collect: (set: Setter) => void): () => void {
  const existing = registry.getSingleMetric(name) as (Gauge & { collectors?: Array<(set: Setter) => void> }) | undefined;
  const stop = (collectors: Array<(set: Setter) => void>) => () => {
    const index = collectors.indexOf(collect);
    if (index >= 0) collectors.splice(index, 1);
  };
  if (existing?.collectors) {
    existing.collectors.push(collect);
    return stop(existing.collectors);
  }
  const collectors = [collect];
  const created = new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const each of collectors) each((labels, value) => this.set(labels, value));
    },
  }) as Gauge & { collectors?: Array<(set: Setter) => void> };
  created.collectors = collectors;
  return stop(collectors);
}
