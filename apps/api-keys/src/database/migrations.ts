import { InitialSchema1764400000000 } from './initial-schema.migration.js';
import { ProjectionSource1766000000000 } from './projection-source.migration.js';

/** The api-keys service's schema changes, oldest first; they run at start on SQLite and PostgreSQL. */
export const migrations = [InitialSchema1764400000000, ProjectionSource1766000000000];
