import type { ApiKeyEvent, ApiKeyRecord, SecretBox } from '@sso/contracts';

/** A key that may parent secured keys, with its secret opened for recomputing their HMACs. */
export interface ParentKey {
  hash: string;
  secret: string;
}

/**
 * The key projection of Redis held in memory: SHA-256 of a key → its record, plus the keys
 * that may parent secured keys, their secrets opened once (when the state loads or the event
 * arrives), not per request. Without the key-encryption secret no key can be a parent.
 */
export class ApiKeyState {
  private readonly records = new Map<string, ApiKeyRecord>();
  private readonly parentKeys = new Map<string, ParentKey>();

  constructor(private readonly box?: SecretBox) {}

  get size(): number {
    return this.records.size;
  }

  get parents(): Iterable<ParentKey> {
    return this.parentKeys.values();
  }

  get(hash: string): ApiKeyRecord | undefined {
    return this.records.get(hash);
  }

  /** Adds what `other` knows: a record of a key this state lacks, or a later version of one it has. */
  merge(other: ApiKeyState): void {
    for (const [hash, record] of other.records) this.apply({ hash, record });
  }

  /**
   * A record older than the one held is ignored: a late write (a rebuild that raced a change)
   * never goes back in time; one of the same version is the same record (its secret is not
   * opened again).
   */
  apply({ hash, record }: Pick<ApiKeyEvent, 'hash' | 'record'>): void {
    if (record === null) {
      this.records.delete(hash);
      this.parentKeys.delete(hash);
      return;
    }
    const held = this.records.get(hash);
    if (held && record.version <= held.version) return;
    this.records.set(hash, record);
    const secret = this.open(record);
    if (secret === undefined) this.parentKeys.delete(hash);
    else this.parentKeys.set(hash, { hash, secret });
  }

  /** A secret that does not open (another key-encryption secret, tampering) makes the key no parent. */
  private open(record: ApiKeyRecord): string | undefined {
    if (!this.box || !record.sealedSecret) return undefined;
    try {
      return this.box.open(record.sealedSecret).toString('utf8');
    } catch {
      return undefined;
    }
  }
}
