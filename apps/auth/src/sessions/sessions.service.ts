import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG } from '@sso/platform';
import { DataSource, In, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { matchesHash, sha256Hex } from '../clients/secret-hash.js';
import type { AuthConfig } from '../config.js';
import { RevocationWriter } from '../revocation/revocation.writer.js';
import { OAuthError } from '../tokens/oauth-error.js';
import { User } from '../users/user.entity.js';
import { RefreshToken } from './refresh-token.entity.js';
import { Session } from './session.entity.js';

/** A browser's sign-in at the issuer, as its cookie proves it. */
export interface BrowserSession {
  session: Session;
  user: User;
}

export interface RefreshedSession {
  session: Session;
  user: User;
  refreshToken: string;
  /** The application the token belongs to and its scopes; null for a login's refresh token. */
  app: { clientId: string; scopes: string[] } | null;
}

const newRefreshToken = () => randomBytes(32).toString('base64url');

/**
 * A second use this soon after the first is a concurrent duplicate (a client retrying, two
 * tabs): it is refused, but only a later use counts as a replay that ends the session.
 * Otherwise a race would revoke the very tokens its winner was just given.
 */
export const CONCURRENT_USE_GRACE_MS = 2_000;

/**
 * Sessions and their refresh tokens: opaque, stored as hashes, rotated on every use. A refresh
 * token presented again after its use (a replay) ends the whole session.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly revocation: RevocationWriter,
    private readonly audit: AuditService,
    @Inject(SERVICE_CONFIG) private readonly config: AuthConfig,
  ) {}

  async open(user: User, scopes: string[]): Promise<{ session: Session; refreshToken: string }> {
    const now = new Date();
    const session = await this.saveNewSession(user, scopes, now);
    return { session, refreshToken: await this.addRefreshToken(session, now) };
  }

  /**
   * Opens a browser session at the issuer: a session like a login's (its tokens will carry its id
   * as `sid`), proven by a cookie `<session id>.<secret>`; only the secret's SHA-256 is stored.
   */
  async openBrowserSession(user: User, userAgent: string | undefined): Promise<{ session: Session; cookieValue: string }> {
    const now = new Date();
    const secret = randomBytes(32).toString('base64url');
    const session = await this.saveNewSession(user, user.scopes, now, { browserSecretHash: sha256Hex(secret), userAgent: userAgent?.slice(0, 200) ?? null, lastUsedAt: now });
    return { session, cookieValue: `${session.id}.${secret}` };
  }

  /** The live browser session a cookie value proves, its last use noted; undefined for anything else. */
  async browserSession(cookieValue: string | undefined): Promise<BrowserSession | undefined> {
    const match = /^([\w-]{24})\.([\w-]{43})$/.exec(cookieValue ?? '');
    if (!match) return undefined;
    const [, sessionId, secret] = match;
    const sessions = this.dataSource.getRepository(Session);
    const session = await sessions.findOneBy({ id: sessionId });
    if (!session?.browserSecretHash || !matchesHash(secret, session.browserSecretHash)) return undefined;
    if (session.revokedAt || session.expiresAt <= new Date()) return undefined;
    const user = await this.dataSource.getRepository(User).findOneBy({ id: session.userId });
    if (!user || user.disabled) return undefined;
    const now = new Date();
    await sessions.update({ id: session.id }, { lastUsedAt: now });
    return { session: { ...session, lastUsedAt: now }, user };
  }

  /** A user's sessions still open, newest first: browser sign-ins and API logins. */
  openSessionsOf(userId: string): Promise<Session[]> {
    return this.dataSource.getRepository(Session).find({ where: { userId, revokedAt: IsNull() }, order: { createdAt: 'DESC', id: 'ASC' } }).then((open) => open.filter((session) => session.expiresAt > new Date()));
  }

  /**
   * Uses a refresh token once and returns its successor. `clientId` is the application presenting
   * it (null for a login's token): a token of another client is refused without being used up.
   * Throws invalid_grant otherwise.
   */
  async refresh(presented: string, clientId: string | null): Promise<RefreshedSession> {
    const tokens = this.dataSource.getRepository(RefreshToken);
    const row = await tokens.findOneBy({ tokenHash: sha256Hex(presented) });
    if (!row) throw new OAuthError('invalid_grant', 'the refresh token is invalid');
    if (row.clientId !== clientId) throw new OAuthError('invalid_grant', row.clientId ? 'the refresh token was issued to another client' : 'the refresh token was issued to a login, not to a client');
    const now = new Date();
    // Claiming the token is one conditional UPDATE: of concurrent requests exactly one wins.
    const { affected } = await tokens.update({ id: row.id, usedAt: IsNull() }, { usedAt: now });
    if (!affected) {
      const firstUse = (await tokens.findOneBy({ id: row.id }))?.usedAt;
      if (firstUse && now.getTime() - firstUse.getTime() < CONCURRENT_USE_GRACE_MS) {
        throw new OAuthError('invalid_grant', 'the refresh token is being used by a concurrent request');
      }
      await this.revoke(row.sessionId, 'refresh_token_reuse');
      await this.audit.record({ type: 'refresh_token.reuse_detected', subject: row.sessionId, details: { refreshTokenId: row.id } });
      throw new OAuthError('invalid_grant', 'the refresh token was already used; the session has been revoked');
    }
    const session = await this.dataSource.getRepository(Session).findOneBy({ id: row.sessionId });
    const user = session && (await this.dataSource.getRepository(User).findOneBy({ id: session.userId }));
    if (!session || !user || session.revokedAt || user.disabled) throw new OAuthError('invalid_grant', 'the session has ended');
    if (row.expiresAt <= now || session.expiresAt <= now) throw new OAuthError('invalid_grant', 'the refresh token has expired');
    const app = row.clientId ? { clientId: row.clientId, scopes: row.scopes ?? [] } : null;
    return { session, user, refreshToken: await this.addRefreshToken(session, now, app), app };
  }

  /** A refresh token for an application signed in through the browser session (`offline_access`). */
  issueAppRefreshToken(session: Session, clientId: string, scopes: string[]): Promise<string> {
    return this.addRefreshToken(session, new Date(), { clientId, scopes });
  }

  /**
   * Ends an application's refresh tokens of one session (RFC 7009, presented by that
   * application): deleted, so a later use is simply unknown; the session and the other
   * applications' tokens stay.
   */
  async revokeAppRefreshTokens(sessionId: string, clientId: string): Promise<void> {
    await this.dataSource.getRepository(RefreshToken).delete({ sessionId, clientId });
    await this.audit.record({ type: 'refresh_token.revoked', subject: sessionId, actor: clientId });
  }

  /** Notes that an application signed in through this session (its code was redeemed), for the account page. */
  async noteAppSignIn(sessionId: string, clientId: string): Promise<void> {
    const sessions = this.dataSource.getRepository(Session);
    const known = (await sessions.findOneBy({ id: sessionId }))?.clientIds ?? [];
    if (!known.includes(clientId)) await sessions.update({ id: sessionId }, { clientIds: [...known, clientId] });
  }

  /** Whether the session can still have tokens: open, not past its end, its user enabled. */
  async isActive(sessionId: string): Promise<boolean> {
    return (await this.activeSession(sessionId)) !== undefined;
  }

  /** The session if it can still have tokens (see isActive). */
  async activeSession(sessionId: string): Promise<Session | undefined> {
    const session = await this.dataSource.getRepository(Session).findOneBy({ id: sessionId });
    if (!session || session.revokedAt || session.expiresAt <= new Date()) return undefined;
    const user = await this.dataSource.getRepository(User).findOneBy({ id: session.userId });
    return user && !user.disabled ? session : undefined;
  }

  /** The session a refresh token belongs to, if the token could still be used. */
  async activeSessionOf(presented: string): Promise<{ session: Session; token: RefreshToken } | undefined> {
    const token = await this.dataSource.getRepository(RefreshToken).findOneBy({ tokenHash: sha256Hex(presented) });
    if (!token || token.usedAt || token.expiresAt <= new Date()) return undefined;
    const session = await this.dataSource.getRepository(Session).findOneBy({ id: token.sessionId });
    if (!session || session.revokedAt || session.expiresAt <= new Date()) return undefined;
    return { session, token };
  }

  /** Ends a session: its refresh tokens stop working here, its access tokens everywhere. */
  async revoke(sessionId: string, reason: string, actor?: string): Promise<void> {
    await this.dataSource.getRepository(Session).update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
    await this.revocation.cutOff('sid', sessionId);
    await this.audit.record({ type: 'session.revoked', subject: sessionId, actor, details: { reason } });
  }

  /** Ends every session of a user and cuts off every token issued to it so far. */
  async revokeAllOf(userId: string, reason: string, actor?: string): Promise<void> {
    const sessions = this.dataSource.getRepository(Session);
    const open = await sessions.findBy({ userId, revokedAt: IsNull() });
    if (open.length > 0) await sessions.update({ id: In(open.map((session) => session.id)) }, { revokedAt: new Date() });
    await this.revocation.cutOff('sub', userId);
    await this.audit.record({ type: 'user.revoked', subject: userId, actor, details: { reason, sessions: open.length } });
  }

  /** A new session of the user, open until AUTH_SESSION_MAX_AGE_SECONDS from now. */
  private async saveNewSession(user: User, scopes: string[], now: Date, browser: Partial<Pick<Session, 'browserSecretHash' | 'userAgent' | 'lastUsedAt'>> = {}): Promise<Session> {
    const sessions = this.dataSource.getRepository(Session);
    const session = sessions.create({
      id: randomBytes(18).toString('base64url'),
      userId: user.id,
      scopes,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.AUTH_SESSION_MAX_AGE_SECONDS * 1000),
      revokedAt: null,
      ...browser,
    });
    return sessions.save(session);
  }

  private async addRefreshToken(session: Session, now: Date, app: { clientId: string; scopes: string[] } | null = null): Promise<string> {
    const token = newRefreshToken();
    const idleEnd = now.getTime() + this.config.AUTH_REFRESH_TOKEN_TTL_SECONDS * 1000;
    await this.dataSource.getRepository(RefreshToken).insert({
      id: randomUUID(),
      sessionId: session.id,
      tokenHash: sha256Hex(token),
      createdAt: now,
      expiresAt: new Date(Math.min(idleEnd, session.expiresAt.getTime())),
      usedAt: null,
      clientId: app?.clientId ?? null,
      scopes: app?.scopes ?? null,
    });
    return token;
  }
}
