import { type DynamicModule, Module } from '@nestjs/common';
import { RelyingParty } from '@sso/relying-party';
import type { ConsoleConfig } from './config.js';
import { ConsoleController } from './console.controller.js';
import { CONSOLE_CONFIG } from './console.tokens.js';

/** The console signs in through the issuer as a confidential client and asks for what its page shows. */
export const CONSOLE_SCOPE = 'openid offline_access billing:read settings:read';

@Module({})
export class AppModule {
  static forRoot(config: ConsoleConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [ConsoleController],
      providers: [
        { provide: CONSOLE_CONFIG, useValue: config },
        {
          provide: RelyingParty,
          useValue: new RelyingParty({
            issuer: config.AUTH_ISSUER,
            clientId: config.CONSOLE_CLIENT_ID,
            clientSecret: config.CONSOLE_CLIENT_SECRET,
            redirectUri: `${config.CONSOLE_URL}/callback`,
            postLogoutRedirectUri: `${config.CONSOLE_URL}/`,
            scope: CONSOLE_SCOPE,
            cookieName: 'console',
            cookiePath: '/',
            signInPath: '/signin',
            secureCookies: config.NODE_ENV === 'production',
          }),
        },
      ],
    };
  }
}
