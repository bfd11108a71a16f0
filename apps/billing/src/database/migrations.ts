import { InitialSchema1764300000000 } from './initial-schema.migration.js';

/** The billing service's schema changes, oldest first; they run at start on SQLite and PostgreSQL. */
export const migrations = [InitialSchema1764300000000];
