import { ServiceUnavailableException } from '@nestjs/common';

/** Redis could not take a change: the database transaction is rolled back, so nothing changed. */
export function keyStoreUnavailable(): ServiceUnavailableException {
  return new ServiceUnavailableException({
    message: 'The key store (Redis) is unavailable, so the change cannot reach the services that check keys; nothing was changed. Retry later.',
    code: 'key_store_unavailable',
    error: 'Service Unavailable',
  });
}
