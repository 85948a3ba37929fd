// Failed logins counted per account (the email as typed, known or not) and per
// client address. After `threshold` failures within the window the key is locked
// for the same length of time; a success clears it. Kept in memory, like the per-IP
// rate limit: a restart forgets at most one window of counts, and no table or
// clean-up job is needed. Time is always passed in.

export interface LockPolicy {
  /** failures within one window that lock an account */
  threshold: number;
  /** the counting window and the length of a lock, in milliseconds */
  lockMs: number;
}

/** What a failure did to one key: locked it (and until when), or only counted. */
export interface Lock {
  key: string;
  failures: number;
  until: number;
}

interface Entry {
  failures: number;
  windowStart: number;
  lockedUntil: number;
}

// An address shared by an office gets twice the room of one account before it is locked,
// yet one address spraying a password over many accounts is still stopped.
const ADDRESS_FACTOR = 2;
// Keys beyond this (many addresses, many invented emails) push out the oldest counts.
const MAX_KEYS = 10_000;

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
export const addressKey = (ip: string) => `ip:${ip}`;

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly policy: LockPolicy,
    private readonly maxKeys = MAX_KEYS,
  ) {}

  /** The latest time until which any of these keys is locked, or null when none is. */
  lockedUntil(keys: readonly string[], now: number): number | null {
    let until: number | null = null;
    for (const key of keys) {
      const e = this.entries.get(key);
      if (e && e.lockedUntil > now) until = Math.max(until ?? 0, e.lockedUntil);
    }
    return until;
  }

  /**
   * Counts one attempt against each key as a failure, before its password is checked,
   * so that attempts sent in parallel cannot slip past the threshold; a success takes
   * it back (succeed). Returns the locks this attempt started.
   */
  count(keys: readonly string[], now: number): Lock[] {
    const locks: Lock[] = [];
    for (const key of keys) {
      let e = this.entries.get(key);
      if (!e || now - e.windowStart >= this.policy.lockMs) {
        e = { failures: 0, windowStart: now, lockedUntil: 0 };
        this.remember(key, e, now);
      }
      if (e.lockedUntil > now) continue;
      e.failures += 1;
      if (e.failures >= this.thresholdOf(key)) {
        e.lockedUntil = now + this.policy.lockMs;
        locks.push({ key, failures: e.failures, until: e.lockedUntil });
        // The lock ends a window: counting starts afresh once it is over.
        e.windowStart = e.lockedUntil;
        e.failures = 0;
      }
    }
    return locks;
  }

  /** A successful login clears the counts (and any lock its own attempt started). */
  succeed(keys: readonly string[]): void {
    for (const key of keys) this.entries.delete(key);
  }

  private thresholdOf(key: string): number {
    return key.startsWith('ip:') ? this.policy.threshold * ADDRESS_FACTOR : this.policy.threshold;
  }

  private remember(key: string, entry: Entry, now: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxKeys) this.forgetExpired(now);
    if (this.entries.size >= this.maxKeys) this.entries.delete(this.oldestUnlocked(now) ?? this.entries.keys().next().value!);
    this.entries.set(key, entry);
  }

  private forgetExpired(now: number): void {
    for (const [key, e] of this.entries) {
      if (e.lockedUntil <= now && now - e.windowStart >= this.policy.lockMs) this.entries.delete(key);
    }
  }

  /** A flood of new keys pushes out counts before it pushes out locks. */
  private oldestUnlocked(now: number): string | undefined {
    for (const [key, e] of this.entries) if (e.lockedUntil <= now) return key;
    return undefined;
  }
}
