import { SetMetadata } from '@nestjs/common';

export const API_KEY_ACL = 'sso:api-key-acl';

/**
 * The route also accepts a legacy API key (`x-algolia-api-key`) whose ACL holds every entry
 * given here; the key is checked by the `apiKeyVerifier` of AuthModule's options.
 */
export const AllowApiKey = (...acl: string[]): MethodDecorator & ClassDecorator => {
  if (acl.length === 0 || acl.some((entry) => !/^[A-Za-z]+$/.test(entry))) {
    throw new Error(`@AllowApiKey() needs one or more ACL entries such as 'search'; got ${JSON.stringify(acl)}`);
  }
  return SetMetadata(API_KEY_ACL, acl);
};
