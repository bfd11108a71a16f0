/** The console's configuration, as providers inject it. */
export const CONSOLE_CONFIG = Symbol('CONSOLE_CONFIG');
