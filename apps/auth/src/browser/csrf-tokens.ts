import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG } from '@sso/platform';
import type { AuthConfig } from '../config.js';

/**
 * CSRF tokens for the issuer's forms: an HMAC of what the form is bound to (the sign-in form to
 * a random cookie of its own, the account forms to the browser's session), under a key derived
 * from AUTH_KEY_ENCRYPTION_SECRET. A cross-site page can neither read the cookie nor compute
 * the HMAC, and the cookies are SameSite as well.
 */
@Injectable()
export class CsrfTokens {
  private readonly key: Buffer;

  constructor(@Inject(SERVICE_CONFIG) config: AuthConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.AUTH_KEY_ENCRYPTION_SECRET, 'sso-auth', 'csrf-tokens', 32));
  }

  tokenFor(purpose: 'sign-in' | 'account', binding: string): string {
    return createHmac('sha256', this.key).update(`${purpose}\n${binding}`).digest('base64url');
  }

  matches(purpose: 'sign-in' | 'account', binding: string | undefined, presented: unknown): boolean {
    if (!binding || typeof presented !== 'string') return false;
    const expected = Buffer.from(this.tokenFor(purpose, binding));
    const given = Buffer.from(presented);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
