import { Inject, Module, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { HEALTH_CHECKS, METRICS_REGISTRY, type HealthChecks } from '@sso/contracts';
import { Registry } from 'prom-client';
import { ApiKeyStore, createApiKeyStore } from './api-key/api-key-store.js';
import { refuseAllApiKeys, type ApiKeyVerifier } from './api-key/api-key-verifier.js';
import { StoredApiKeyVerifier } from './api-key/stored-api-key.verifier.js';
import { API_KEY_VERIFIER, AUTH_SETTINGS } from './auth.constants.js';
import { AUTH_MODULE_OPTIONS, ConfigurableModuleClass } from './auth.module-definition.js';
import { resolveAuthSettings, type AuthModuleOptions, type AuthSettings } from './auth.options.js';
import { ServiceHttpClient } from './client/service-http-client.js';
import { ServiceTokenClient } from './client/service-token-client.js';
import { AuthenticationGuard } from './guards/authentication.guard.js';
import { ScopesGuard } from './guards/scopes.guard.js';
import { TokenVerifier } from './jwt/token-verifier.js';
import { AuthMetrics } from './metrics/auth-metrics.js';
import { RevocationService } from './revocation/revocation.service.js';

/**
 * The guard library as one import: `AuthModule.forRoot(options)` or
 * `AuthModule.forRootAsync({ imports, inject, useFactory })`. Global; installs the
 * authentication guard, then the scopes guard, for every route of the application.
 */
@Module({
  providers: [
    { provide: AUTH_SETTINGS, inject: [AUTH_MODULE_OPTIONS], useFactory: (options: AuthModuleOptions) => resolveAuthSettings(options) },
    { provide: TokenVerifier, inject: [AUTH_SETTINGS], useFactory: (settings: AuthSettings) => new TokenVerifier(settings) },
    {
      provide: RevocationService,
      inject: [AUTH_SETTINGS, AuthMetrics],
      useFactory: (settings: AuthSettings, metrics: AuthMetrics) =>
        new RevocationService({
          redisUrl: settings.redisUrl,
          namespace: settings.namespace,
          clientName: settings.audience,
          commandTimeoutMs: settings.redisCommandTimeoutMs,
          subscriberCheckIntervalMs: settings.subscriberCheckIntervalMs,
          registry: metrics.registry,
        }),
    },
    {
      provide: ApiKeyStore,
      inject: [AUTH_SETTINGS, AuthMetrics],
      useFactory: ({ apiKeys, redisUrl, namespace, audience, redisCommandTimeoutMs, subscriberCheckIntervalMs }: AuthSettings, metrics: AuthMetrics) =>
        apiKeys
          ? createApiKeyStore({
              redisUrl,
              namespace,
              service: audience,
              encryptionSecret: apiKeys.encryptionSecret,
              commandTimeoutMs: redisCommandTimeoutMs,
              subscriberCheckIntervalMs,
              lastUsedFlushIntervalMs: apiKeys.lastUsedFlushIntervalMs,
              registry: metrics.registry,
            })
          : null,
    },
    {
      provide: API_KEY_VERIFIER,
      inject: [AUTH_SETTINGS, ApiKeyStore],
      useFactory: (settings: AuthSettings, store: ApiKeyStore | null): ApiKeyVerifier =>
        settings.apiKeyVerifier ?? (store && settings.apiKeys ? new StoredApiKeyVerifier(store, settings.apiKeys) : refuseAllApiKeys),
    },
    {
      provide: AuthMetrics,
      inject: [{ token: METRICS_REGISTRY, optional: true }],
      // Without the platform (a bare Nest app), the counters still work on a registry of their own.
      useFactory: (registry?: Registry) => new AuthMetrics(registry ?? new Registry()),
    },
    {
      provide: ServiceTokenClient,
      inject: [AUTH_SETTINGS],
      useFactory: ({ client, tokenEndpoint }: AuthSettings) =>
        new ServiceTokenClient({ tokenEndpoint, clientId: client?.clientId ?? '', clientSecret: client?.clientSecret ?? '', scope: client?.scope }),
    },
    { provide: ServiceHttpClient, inject: [ServiceTokenClient], useFactory: (tokens: ServiceTokenClient) => new ServiceHttpClient(tokens) },
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    { provide: APP_GUARD, useClass: ScopesGuard },
  ],
  exports: [TokenVerifier, RevocationService, ApiKeyStore, API_KEY_VERIFIER, ServiceTokenClient, ServiceHttpClient, AuthMetrics],
})
export class AuthModule extends ConfigurableModuleClass implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    @Inject(RevocationService) private readonly revocation: RevocationService,
    @Inject(ApiKeyStore) private readonly apiKeys: ApiKeyStore | null,
    @Inject(ServiceTokenClient) private readonly serviceTokens: ServiceTokenClient,
    @Optional() @Inject(HEALTH_CHECKS) private readonly health?: HealthChecks,
  ) {
    super();
  }

  /**
   * Connects to Redis in the background (revocations, and API keys when accepted); the JWKS is
   * fetched at the first token. A service with a client of its own is ready only while it can
   * get its token: calling others is part of its job.
   */
  onApplicationBootstrap(): void {
    this.revocation.start();
    this.apiKeys?.start();
    if (this.settings.client) this.health?.addCheck('service-token', () => this.serviceTokens.accessToken());
  }

  async onApplicationShutdown(): Promise<void> {
    this.verifier.close();
    await Promise.all([this.revocation.close(), this.apiKeys?.close()]);
  }
}
