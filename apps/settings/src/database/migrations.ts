/** The settings service's schema changes, oldest first; they run at start on SQLite and PostgreSQL. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const migrations: Function[] = [];
