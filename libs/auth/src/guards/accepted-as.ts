import type { AcceptReason } from '../metrics/auth-metrics.js';

/** How the authentication guard accepted a request; the scopes guard counts it once it passes too. */
export const ACCEPTED_AS = Symbol('sso:accepted-as');

export type RequestWithAcceptance = { [ACCEPTED_AS]?: AcceptReason };
