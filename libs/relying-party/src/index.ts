export { escapeHtml, sendAppPage } from './app-page.js';
export type { AppSession } from './app-sessions.js';
export { IssuerUnavailableError, RelyingParty, SignInRefusedError, type RelyingPartyOptions } from './relying-party.js';
