/** Injection token of the resolved AuthSettings. */
export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');
