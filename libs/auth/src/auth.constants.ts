/** Injection token of the resolved AuthSettings. */
export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');

/** Injection token of the ApiKeyVerifier the guard hands `@AllowApiKey()` requests to. */
export const API_KEY_VERIFIER = Symbol('API_KEY_VERIFIER');
