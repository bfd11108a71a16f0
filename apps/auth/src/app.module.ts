import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseIdentity, PlatformModule } from '@sso/platform';
import { AccessTokenGuard } from './access/access-token.guard.js';
import { AccessTokenVerifier } from './access/access-token.verifier.js';
import { ApiKeySubjects } from './api-keys/api-key-subjects.js';
import { AdminAuditController } from './audit/admin-audit.controller.js';
import { AuditEvent } from './audit/audit-event.entity.js';
import { AuditService } from './audit/audit.service.js';
import { AdminClientsController } from './clients/admin-clients.controller.js';
import { ClientAuthenticator } from './clients/client-authenticator.js';
import { Client } from './clients/client.entity.js';
import { ClientsService } from './clients/clients.service.js';
import type { AuthConfig } from './config.js';
import { migrations } from './database/migrations.js';
import { DiscoveryController } from './discovery/discovery.controller.js';
import { AdminSigningKeysController } from './keys/admin-signing-keys.controller.js';
import { SigningKey } from './keys/signing-key.entity.js';
import { SigningKeysService } from './keys/signing-keys.service.js';
import { LoginThrottle } from './login/login-throttle.js';
import { LoginController } from './login/login.controller.js';
import { AuthorizationCode } from './authorize/authorization-code.entity.js';
import { AuthorizationCodesService } from './authorize/authorization-codes.service.js';
import { AuthorizeController } from './authorize/authorize.controller.js';
import { EndSessionController } from './authorize/end-session.controller.js';
import { BrowserController } from './browser/browser.controller.js';
import { AuthorizationCodeGrant } from './tokens/grants/authorization-code.grant.js';
import { IdTokenIssuer } from './tokens/id-token.issuer.js';
import { CsrfTokens } from './browser/csrf-tokens.js';
import { LoginService } from './login/login.service.js';
import { RevocationProjectionKeeper } from './revocation/revocation-projection.keeper.js';
import { Revocation } from './revocation/revocation.entity.js';
import { RevocationProjection } from './revocation/revocation.projection.js';
import { RevocationPruner } from './revocation/revocation.pruner.js';
import { RevocationStore } from './revocation/revocation.store.js';
import { RevocationWriter } from './revocation/revocation.writer.js';
import { RevokeController } from './revocation/revoke.controller.js';
import { RefreshToken } from './sessions/refresh-token.entity.js';
import { Session } from './sessions/session.entity.js';
import { SessionsService } from './sessions/sessions.service.js';
import { AccessTokenIssuer } from './tokens/access-token.issuer.js';
import { ClientCredentialsGrant } from './tokens/grants/client-credentials.grant.js';
import { RefreshTokenGrant } from './tokens/grants/refresh-token.grant.js';
import { TokenExchangeGrant } from './tokens/grants/token-exchange.grant.js';
import { IntrospectionController } from './tokens/introspection.controller.js';
import { TokenController } from './tokens/token.controller.js';
import { AdminUsersController } from './users/admin-users.controller.js';
import { BootstrapAdmin } from './users/bootstrap-admin.js';
import { PasswordHasher } from './users/password-hasher.js';
import { User } from './users/user.entity.js';
import { UserinfoController } from './users/userinfo.controller.js';
import { UsersService } from './users/users.service.js';

@Module({})
export class AppModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: AppModule,
      // JwtService signs with the key each call names (the active signing key): no key here.
      imports: [PlatformModule.forRoot({ config, migrations }), JwtModule.register({}), TypeOrmModule.forFeature([User, Client, Session, AuthorizationCode, RefreshToken, SigningKey, AuditEvent, Revocation, DatabaseIdentity])],
      controllers: [
        DiscoveryController,
        LoginController,
        BrowserController,
        AuthorizeController,
        EndSessionController,
        TokenController,
        RevokeController,
        IntrospectionController,
        UserinfoController,
        AdminUsersController,
        AdminClientsController,
        AdminSigningKeysController,
        AdminAuditController,
      ],
      providers: [
        { provide: PasswordHasher, useFactory: () => new PasswordHasher(config.AUTH_PASSWORD_HASH_COST) },
        { provide: APP_GUARD, useClass: AccessTokenGuard },
        AccessTokenVerifier,
        AccessTokenIssuer,
        ApiKeySubjects,
        AuditService,
        BootstrapAdmin,
        ClientAuthenticator,
        CsrfTokens,
        ClientsService,
        LoginService,
        LoginThrottle,
        RevocationProjection,
        RevocationProjectionKeeper,
        RevocationPruner,
        RevocationStore,
        RevocationWriter,
        SessionsService,
        SigningKeysService,
        UsersService,
        RefreshTokenGrant,
        AuthorizationCodeGrant,
        AuthorizationCodesService,
        IdTokenIssuer,
        ClientCredentialsGrant,
        TokenExchangeGrant,
      ],
    };
  }
}
