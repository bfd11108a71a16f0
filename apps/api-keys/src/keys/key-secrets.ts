import { Inject, Injectable } from '@nestjs/common';
import { API_KEY_SECRET_PURPOSE, SecretBox } from '@sso/contracts';
import { SERVICE_CONFIG } from '@sso/platform';
import type { ApiKeysConfig } from '../config.js';

/** The ACL entry that lets a key parent secured keys, whose check needs the parent key itself. */
export const PARENT_ACL = 'search';

/**
 * Seals the secret of keys that may parent secured keys (SecretBox, purpose
 * API_KEY_SECRET_PURPOSE, key API_KEYS_ENCRYPTION_SECRET): the only reversible form of a key
 * kept anywhere, opened by guards only. This service never opens one.
 */
@Injectable()
export class KeySecrets {
  private readonly box: SecretBox;

  constructor(@Inject(SERVICE_CONFIG) config: ApiKeysConfig) {
    this.box = new SecretBox(config.API_KEYS_ENCRYPTION_SECRET, API_KEY_SECRET_PURPOSE);
  }

  seal(key: string): string {
    return this.box.seal(Buffer.from(key, 'utf8'));
  }

  mayParent(acl: readonly string[]): boolean {
    return acl.includes(PARENT_ACL);
  }
}
