import { randomBytes } from 'node:crypto';

/** A user signed in to the app: the tokens stay here, the browser holds only the session's id. */
export interface AppSession {
  id: string;
  /** The user, as the ID token names them. */
  sub: string;
  username: string;
  accessToken: string;
  /** When the access token ends, in milliseconds since the epoch. */
  accessTokenExpiresAt: number;
  refreshToken?: string;
  /** Kept for RP-initiated logout (`id_token_hint`). */
  idToken: string;
}

/** A sign-in under way: what the callback must find again (RFC 7636 verifier, state, nonce). */
export interface PendingSignIn {
  codeVerifier: string;
  nonce: string;
  returnTo: string;
}

/** A map that forgets entries after `ttlMs` and holds at most `limit`, dropping the oldest first. */
export class ExpiringMap<Value> {
  private readonly entries = new Map<string, { value: Value; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly limit: number,
  ) {}

  get(key: string): Value | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > Date.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: Value): void {
    this.entries.delete(key);
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expiresAt: Date.now() + this.ttlMs });
  }

  /** Replaces a value still held, keeping its expiry; false (and nothing stored) when it is gone. */
  replace(key: string, value: Value): boolean {
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt <= Date.now()) return false;
    entry.value = value;
    return true;
  }

  /** Returns the value and forgets it: for what may be used once. */
  take(key: string): Value | undefined {
    const value = this.get(key);
    this.entries.delete(key);
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

/** 32 random bytes, base64url: a session id or a sign-in's handle that cannot be guessed. */
export const randomId = () => randomBytes(32).toString('base64url');

/** A resource service's answer to the signed-in user's call: its status, and its JSON body when 2xx. */
export interface ApiAnswer<Body> {
  status: number;
  body?: Body;
}

/** GETs `url` with the session's access token (5 s at most); a service that cannot be reached is a 502. */
export async function callWithToken<Body>(session: AppSession, url: string): Promise<ApiAnswer<Body>> {
  try {
    const answer = await fetch(url, { headers: { authorization: `Bearer ${session.accessToken}` }, signal: AbortSignal.timeout(5_000) });
    return { status: answer.status, body: answer.ok ? ((await answer.json()) as Body) : undefined };
  } catch {
    return { status: 502 };
  }
}
