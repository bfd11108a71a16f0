import type { RevocationSubject } from '@sso/contracts';
import type { Principal } from '../principal.js';

/** What a successful signature and claims check leaves behind, cached by the whole token. */
export interface VerifiedToken {
  principal: Principal;
  /** The facts revocation is decided on, checked again on every request. */
  revocation: RevocationSubject;
  /** `exp` plus the clock tolerance, in ms: the end of the token's life here. */
  expiresAtMs: number;
}
