import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader } from '@nestjs/swagger';
import { AllowApiKey, Scopes } from '@sso/auth';

/**
 * A key-management route: a bearer token with `api-keys:admin`, or the application's admin key
 * (`x-algolia-api-key` with `x-algolia-application-id`, checked by AdminKeyVerifier). Managed
 * keys are refused, as at Algolia.
 */
export const AdminCredentials = () =>
  applyDecorators(
    Scopes('api-keys:admin'),
    AllowApiKey('admin'),
    ApiBearerAuth(),
    ApiHeader({ name: 'x-algolia-application-id', required: false, description: 'API_KEYS_APP_ID, with the admin key' }),
    ApiHeader({ name: 'x-algolia-api-key', required: false, description: 'The admin key (API_KEYS_ADMIN_KEY), instead of a bearer token' }),
  );
