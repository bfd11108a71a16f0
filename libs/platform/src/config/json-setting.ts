import { z } from 'zod';

/**
 * A variable holding JSON (`fallback` when unset), parsed for a schema to `.pipe()` into. Text
 * that is not JSON gets `must be <expected>`, never a quote of the text: it may hold secrets.
 */
export function jsonSetting(fallback: string, expected: string) {
  return z
    .string()
    .default(fallback)
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.addIssue({ code: 'custom', message: `must be ${expected}` });
        return z.NEVER;
      }
    });
}
