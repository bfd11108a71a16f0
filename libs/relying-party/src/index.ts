export { escapeHtml, sendAppPage } from './app-page.js';
export { callWithToken, type ApiAnswer, type AppSession } from './app-sessions.js';
export { IssuerUnavailableError, RelyingParty, SignInRefusedError, type RelyingPartyOptions } from './relying-party.js';
