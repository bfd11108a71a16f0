import { FacetColumns1780000000000 } from './facet-columns.migration.js';
import { InitialSchema1764300000000 } from './initial-schema.migration.js';

/** The product service's schema changes, oldest first; they run at start on SQLite and PostgreSQL. */
export const migrations = [InitialSchema1764300000000, FacetColumns1780000000000];
