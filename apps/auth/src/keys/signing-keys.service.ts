import type { KeyObject } from 'node:crypto';
import { ConflictException, Inject, Injectable, Logger, NotFoundException, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SecretBox, type SigningAlgorithm } from '@sso/contracts';
import { lockForTransaction, SERVICE_CONFIG } from '@sso/platform';
import { DataSource, In, LessThanOrEqual, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AuthConfig } from '../config.js';
import { RevocationWriter } from '../revocation/revocation.writer.js';
import { generateKeyMaterial, importPrivateKey } from './key-material.js';
import { SigningKey } from './signing-key.entity.js';

export interface ActiveSigningKey {
  kid: string;
  algorithm: SigningAlgorithm;
  privateKey: KeyObject;
}

/** How long the in-memory signing key is trusted before the database is asked again (other replicas may rotate). */
const ACTIVE_KEY_CACHE_MS = 30_000;
const MAINTENANCE_INTERVAL_MS = 60_000;
/** Held by every transaction that changes key states, so replicas never both create or promote a key. */
const KEY_STATES_LOCK = 'sso:signing-keys';

/**
 * The signing keys' lifecycle: next → active → retiring → removed. A next key is published
 * before it ever signs; a retiring key stays published until every token it signed has
 * expired; a deleted key is removed at once and announced to every verifier.
 */
@Injectable()
export class SigningKeysService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SigningKeys');
  private readonly encryption: SecretBox;
  private active?: { key: ActiveSigningKey; loadedAt: number };
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly revocation: RevocationWriter,
    @Inject(SERVICE_CONFIG) private readonly config: AuthConfig,
  ) {
    // The purpose is the HKDF salt: it must never change, or stored keys no longer open.
    this.encryption = new SecretBox(config.AUTH_KEY_ENCRYPTION_SECRET, 'sso-auth-signing-keys');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.dataSource.transaction((manager) => this.ensureActiveAndNext(manager));
    this.timer = setInterval(() => void this.maintain(), MAINTENANCE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The key that signs new tokens. */
  async signingKey(): Promise<ActiveSigningKey> {
    if (this.active && Date.now() - this.active.loadedAt < ACTIVE_KEY_CACHE_MS) return this.active.key;
    const row = await this.dataSource.getRepository(SigningKey).findOneBy({ state: 'active' });
    if (!row) throw new Error('no active signing key');
    const key = { kid: row.kid, algorithm: row.algorithm, privateKey: importPrivateKey(this.encryption.open(row.encryptedPrivateKey)) };
    this.active = { key, loadedAt: Date.now() };
    return key;
  }

  /** The JWKS: every key that may still verify a live token, and the next one. */
  async publishedKeys(): Promise<Array<Record<string, unknown>>> {
    await this.retireExpired();
    const rows = await this.dataSource.getRepository(SigningKey).find({ where: { state: In(['next', 'active', 'retiring']) }, order: { createdAt: 'ASC' } });
    return rows.map((row) => row.publicJwk);
  }

  /** Public metadata of the keys, oldest first, a page at a time, for administrators. */
  async list({ offset, limit }: { offset: number; limit: number }): Promise<[SigningKey[], number]> {
    const keys = this.dataSource.getRepository(SigningKey);
    // Two queries: TypeORM's findAndCount with a column selection counted 0 past the first row.
    return Promise.all([
      keys.find({
        select: { kid: true, algorithm: true, state: true, createdAt: true, activatedAt: true, retiredAt: true, removeAfter: true, removedAt: true },
        order: { createdAt: 'ASC', kid: 'ASC' },
        skip: offset,
        take: limit,
      }),
      keys.count(),
    ]);
  }

  /** Promotes the next key, retires the active one and prepares a new next key. Returns the new active kid. */
  async rotate(actor: string): Promise<string> {
    const kid = await this.dataSource.transaction((manager) => this.promoteNext(manager));
    await this.rotated(kid, actor);
    return kid;
  }

  private async promoteNext(manager: EntityManager): Promise<string> {
    await lockForTransaction(manager, KEY_STATES_LOCK);
    const keys = manager.getRepository(SigningKey);
    const now = new Date();
    const [active, next] = await Promise.all([keys.findOneBy({ state: 'active' }), keys.findOneBy({ state: 'next' })]);
    if (!next) throw new ConflictException({ message: 'there is no next signing key to promote', code: 'no_next_key' });
    // Conditional updates: a key deleted meanwhile must not come back to the JWKS.
    if (active) await keys.update({ kid: active.kid, state: 'active' }, { state: 'retiring', retiredAt: now, removeAfter: this.removeAfter(now) });
    const { affected } = await keys.update({ kid: next.kid, state: 'next' }, { state: 'active', activatedAt: now });
    if (!affected) throw new ConflictException({ message: 'the keys changed during the rotation; try again', code: 'rotation_conflict' });
    await this.createKey(manager, 'next');
    return next.kid;
  }

  private async rotated(kid: string, actor: string): Promise<void> {
    this.active = undefined;
    await this.audit.record({ type: 'signing_key.rotated', subject: kid, actor, details: { algorithm: this.config.AUTH_SIGNING_ALGORITHM } });
  }

  /** Emergency removal: the key leaves the JWKS now and verifiers refuse its tokens at once. */
  async delete(kid: string, actor: string): Promise<void> {
    const known = await this.dataSource.getRepository(SigningKey).findOneBy({ kid });
    if (!known || known.state === 'removed') throw new NotFoundException({ message: `signing key ${kid} does not exist or is already removed`, code: 'key_not_found' });
    // Verifiers first: if this fails, nothing has changed and the request can be retried.
    await this.revocation.revokeKey(kid);
    await this.dataSource.transaction(async (manager) => {
      await lockForTransaction(manager, KEY_STATES_LOCK);
      await manager.getRepository(SigningKey).update({ kid }, { state: 'removed', removedAt: new Date() });
      await this.ensureActiveAndNext(manager);
    });
    this.active = undefined;
    await this.audit.record({ type: 'signing_key.deleted', subject: kid, actor });
  }

  /** Periodic work: retiring keys leave when due; the active key rotates when it is old enough. */
  async maintain(): Promise<void> {
    try {
      await this.retireExpired();
      const days = this.config.AUTH_KEY_ROTATION_DAYS;
      if (days === 0) return;
      // The age is read under the lock: of replicas due at the same minute, one rotates.
      const kid = await this.dataSource.transaction(async (manager) => {
        await lockForTransaction(manager, KEY_STATES_LOCK);
        const active = await manager.getRepository(SigningKey).findOneBy({ state: 'active' });
        const due = active?.activatedAt && Date.now() - active.activatedAt.getTime() >= days * 86_400_000;
        return due ? this.promoteNext(manager) : undefined;
      });
      if (kid) await this.rotated(kid, 'automatic-rotation');
    } catch (error) {
      this.logger.error(`signing-key maintenance failed: ${(error as Error).message}`);
    }
  }

  private async retireExpired(): Promise<void> {
    const keys = this.dataSource.getRepository(SigningKey);
    const due = await keys.findBy({ state: 'retiring', removeAfter: LessThanOrEqual(new Date()) });
    for (const key of due) {
      // Conditional: of replicas retiring the same key at once, one changes it and audits it.
      const { affected } = await keys.update({ kid: key.kid, state: 'retiring' }, { state: 'removed', removedAt: new Date() });
      if (affected) await this.audit.record({ type: 'signing_key.retired', subject: key.kid, actor: 'key-lifecycle' });
    }
  }

  private async ensureActiveAndNext(manager: EntityManager): Promise<void> {
    await lockForTransaction(manager, KEY_STATES_LOCK);
    const keys = manager.getRepository(SigningKey);
    if (!(await keys.existsBy({ state: 'active' }))) {
      const next = await keys.findOneBy({ state: 'next' });
      if (next) await keys.update({ kid: next.kid }, { state: 'active', activatedAt: new Date() });
      else await this.createKey(manager, 'active');
    }
    if (!(await keys.existsBy({ state: 'next' }))) await this.createKey(manager, 'next');
  }

  private async createKey(manager: EntityManager, state: 'active' | 'next'): Promise<void> {
    const algorithm = this.config.AUTH_SIGNING_ALGORITHM;
    const material = await generateKeyMaterial(algorithm);
    const now = new Date();
    const keys = manager.getRepository(SigningKey);
    await keys.save(
      keys.create({
      kid: material.kid,
      algorithm,
      state,
      publicJwk: material.publicJwk as Record<string, unknown>,
      encryptedPrivateKey: this.encryption.seal(material.privateKeyDer),
      createdAt: now,
      activatedAt: state === 'active' ? now : null,
      }),
    );
    this.logger.log(`created ${state} ${algorithm} signing key ${material.kid}`);
  }

  /** A retiring key must outlive the longest token it signed, plus clock skew. */
  private removeAfter(retiredAt: Date): Date {
    return new Date(retiredAt.getTime() + (this.config.AUTH_ACCESS_TOKEN_TTL_SECONDS + 120) * 1000);
  }
}
