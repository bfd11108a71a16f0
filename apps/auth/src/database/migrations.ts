import { AppSignIns1796256000000 } from './app-sign-ins.migration.js';
import { AuthorizationCodes1796169800000 } from './authorization-codes.migration.js';
import { BrowserSessions1796169700000 } from './browser-sessions.migration.js';
import { ClientMetadata1796169600000 } from './client-metadata.migration.js';
import { InitialSchema1764288000000 } from './initial-schema.migration.js';
import { Revocations1796083200000 } from './revocations.migration.js';

/** The auth service's schema changes, oldest first; they run at start on SQLite and PostgreSQL. */
export const migrations = [InitialSchema1764288000000, Revocations1796083200000, ClientMetadata1796169600000, BrowserSessions1796169700000, AuthorizationCodes1796169800000, AppSignIns1796256000000];
