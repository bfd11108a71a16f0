import { z } from 'zod';

/** Settings of every service that reads legacy API keys (the key service, the services that accept keys, auth's exchange). */
export const apiKeysConfigShape = {
  /** The Algolia application id every key belongs to (`x-algolia-application-id`). */
  API_KEYS_APP_ID: z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'must be 1 to 32 letters or digits').default('SSODEMO'),
};
