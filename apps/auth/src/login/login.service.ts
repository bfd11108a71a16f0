import { BadRequestException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { AccessTokenIssuer } from '../tokens/access-token.issuer.js';
import { LOGIN_CLIENT_ID } from '../tokens/login-client.js';
import { OAuthError } from '../tokens/oauth-error.js';
import { grantedScopes } from '../tokens/scope-request.js';
import { tokenResponse, type TokenResponse } from '../tokens/token-response.js';
import { PasswordHasher } from '../users/password-hasher.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import type { LoginDto } from './dto/login.dto.js';
import { LoginThrottle, TooManyAttemptsException } from './login-throttle.js';

const WRONG_CREDENTIALS = 'invalid username or password';

@Injectable()
export class LoginService {
  constructor(
    private readonly users: UsersService,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionsService,
    private readonly issuer: AccessTokenIssuer,
    private readonly audit: AuditService,
  ) {}

  /**
   * The user whose password this is, within the brute-force limits (TooManyAttemptsException
   * beyond them). One message and the same work for an unknown user, a wrong password or a
   * disabled account, so that neither the answer nor its timing tells them apart. Both the API
   * login and the sign-in page go through here.
   */
  async checkPassword(username: string, password: string, ip: string): Promise<User> {
    try {
      await this.throttle.consume(username, ip);
    } catch (error) {
      if (error instanceof TooManyAttemptsException) await this.audit.record({ type: 'login.throttled', ip, details: { username } });
      throw error;
    }
    const user = await this.users.findByUsername(username);
    const passwordMatches = user ? await this.hasher.verify(password, user.passwordHash) : await this.hasher.verifyAgainstDummy(password);
    if (!user || !passwordMatches || user.disabled) {
      await this.audit.record({ type: 'login.failed', subject: user?.id, ip, details: { username, reason: !user ? 'unknown_user' : !passwordMatches ? 'wrong_password' : 'disabled' } });
      throw new UnauthorizedException({ message: WRONG_CREDENTIALS, code: 'invalid_credentials' });
    }
    await this.throttle.succeeded(username, ip);
    return user;
  }

  /** Logs in through the API: a session with an access token and a refresh token. */
  async login({ username, password, scope }: LoginDto, ip: string): Promise<TokenResponse> {
    const checkedSince = Date.now();
    const user = await this.checkPassword(username, password, ip);

    let scopes: string[];
    try {
      scopes = grantedScopes(scope, user.scopes);
    } catch (error) {
      if (error instanceof OAuthError) throw new BadRequestException({ message: error.description, code: error.error });
      throw error;
    }
    const { session, refreshToken } = await this.sessions.open(user, scopes);
    const issued = await this.issuer.issue({
      sub: user.id,
      clientId: LOGIN_CLIENT_ID,
      scopes,
      sid: session.id,
      checkedSince,
      recheck: async () => {
        // Disabled, deleted or revoked while the password was being checked.
        if (!(await this.sessions.isActive(session.id))) throw new UnauthorizedException({ message: WRONG_CREDENTIALS, code: 'invalid_credentials' });
      },
    });
    await this.audit.record({ type: 'login.succeeded', subject: user.id, actor: user.id, ip, details: { sid: session.id } });
    await this.audit.record({ type: 'token.issued', subject: user.id, details: { grant: 'password', sid: session.id, jti: issued.claims.jti, scope: issued.claims.scope } });
    return tokenResponse(issued, { refresh_token: refreshToken });
  }
}
