import { encodeRevocationEvent, revocationChannel, revocationKey, REVOCATION_KINDS, type RevocationKind } from '@sso/contracts';
import { projectionMarker } from '@sso/testing';
import { createClient } from 'redis';

/** Writes revocations as the auth service does (sorted set, then the channel), per contracts. */
export class RevocationWriter {
  readonly redis;

  constructor(
    url: string,
    readonly namespace: string,
  ) {
    this.redis = createClient({ url, RESP: 2 });
    this.redis.on('error', () => undefined);
  }

  /** Connects and, as the auth service does once it has built the projection, marks it whole. */
  async connect(): Promise<this> {
    await this.redis.connect();
    await this.markWhole();
    return this;
  }

  async markWhole(): Promise<void> {
    await this.redis.set(...projectionMarker(this.namespace, 'revocations'));
  }

  async revoke(kind: RevocationKind, value: string, score: number, { publish = true } = {}): Promise<void> {
    await this.redis.zAdd(revocationKey(this.namespace, kind), { score, value });
    if (publish) await this.redis.publish(revocationChannel(this.namespace), encodeRevocationEvent({ kind, value, score }));
  }

  async cleanUp(): Promise<void> {
    if (!this.redis.isReady) return;
    await this.redis.del(REVOCATION_KINDS.map((kind) => revocationKey(this.namespace, kind)));
  }

  async close(): Promise<void> {
    if (this.redis.isReady) await this.redis.close();
    else this.redis.destroy();
  }
}
