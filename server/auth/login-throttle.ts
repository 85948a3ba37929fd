// Failed logins counted per account (the email as typed, known or not) and per
// client address. After `threshold` failures within the window the key is locked
// for the same length of time; a success clears the account's count, while the
// address keeps the failures it made (only the success's own count is taken back):
// one valid account must not reset the address limit between guesses at others. Kept in memory, like the per-IP
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
const isAddress = (key: string) => key.startsWith('ip:');

/** What count() did for one attempt, so that a success can take it back (succeed). */
export interface Counted {
  /** the locks this attempt started */
  locks: Lock[];
  /** each key counted (a key already locked is not): its entry, and the window it was in before a lock this attempt started */
  readonly marks: readonly { key: string; entry: Entry; lockedFrom: number | null }[];
}

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
   * it back (succeed). Returns the locks this attempt started, and what succeed needs.
   */
  count(keys: readonly string[], now: number): Counted {
    const locks: Lock[] = [];
    const marks: { key: string; entry: Entry; lockedFrom: number | null }[] = [];
    for (const key of keys) {
      let e = this.entries.get(key);
      if (!e || now - e.windowStart >= this.policy.lockMs) {
        e = { failures: 0, windowStart: now, lockedUntil: 0 };
        this.remember(key, e, now);
      }
      if (e.lockedUntil > now) continue;
      e.failures += 1;
      let lockedFrom: number | null = null;
      if (e.failures >= this.thresholdOf(key)) {
        lockedFrom = e.windowStart;
        e.lockedUntil = now + this.policy.lockMs;
        locks.push({ key, failures: e.failures, until: e.lockedUntil });
        // The lock ends a window: counting starts afresh once it is over.
        e.windowStart = e.lockedUntil;
        e.failures = 0;
      }
      marks.push({ key, entry: e, lockedFrom });
    }
    return { locks, marks };
  }

  /**
   * A successful login. The account's counts are cleared (and any lock its own attempt
   * started). The address only gets this attempt's count back (and a lock that count
   * started): its failures against other accounts still count, so knowing one valid
   * password does not reset the address limit between guesses.
   */
  succeed(counted: Counted): void {
    for (const { key, entry, lockedFrom } of counted.marks) {
      if (!isAddress(key)) {
        this.entries.delete(key);
        continue;
      }
      // Forgotten, or started afresh, meanwhile: nothing of this attempt is left in it.
      if (this.entries.get(key) !== entry) continue;
      if (lockedFrom !== null) {
        // Nothing is counted on a locked key, so the entry is as this attempt left it: undo exactly.
        if (!counted.locks.some((l) => l.key === key && l.until === entry.lockedUntil)) continue;
        entry.lockedUntil = 0;
        entry.windowStart = lockedFrom;
        entry.failures = this.thresholdOf(key) - 1;
      } else if (entry.failures > 0) {
        entry.failures -= 1;
      }
    }
  }

  private thresholdOf(key: string): number {
    return isAddress(key) ? this.policy.threshold * ADDRESS_FACTOR : this.policy.threshold;
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
