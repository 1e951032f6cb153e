// Staff accounts, sessions, sign-in throttling and the audit log in SQLite (part of the site's
// state: SqliteSite extends this).
import type { DatabaseSync } from 'node:sqlite';
import { type AuditRow, toAuditRecord, toStaffUser } from './rows.ts';
import { countAttempt, forgiveAttempt, type ThrottleRow } from './sign-in-throttle.ts';
import type {
  AuditEntry,
  AuditRecord,
  SignInThrottle,
  StaffRole,
  StaffSession,
  StaffUser,
} from './site-store.ts';
import type { SqliteDatabase } from './sqlite-db.ts';
import { hourCeil, hourFloor } from './store.ts';

export class SqliteStaff {
  protected readonly database: SqliteDatabase;
  protected readonly db: DatabaseSync;

  constructor(database: SqliteDatabase) {
    this.database = database;
    this.db = database.db;
  }

  async createStaffUser(u: StaffUser): Promise<boolean> {
    return (
      this.db
        .prepare(
          'INSERT OR IGNORE INTO staff_users (username, role, password_hash) VALUES (?, ?, ?)',
        )
        .run(u.username, u.role, u.passwordHash).changes === 1
    );
  }

  async staffUser(username: string): Promise<StaffUser | undefined> {
    const r = this.db
      .prepare(
        'SELECT username, role, password_hash, second_factor FROM staff_users WHERE username = ?',
      )
      .get(username) as
      | { username: string; role: StaffRole; password_hash: string; second_factor: string | null }
      | undefined;
    return r && toStaffUser(r);
  }

  async setSecondFactor(
    username: string,
    secondFactor: string | undefined,
    recoveryHashes: readonly string[],
  ): Promise<boolean> {
    return this.database.transaction(() => {
      const set = this.db
        .prepare('UPDATE staff_users SET second_factor = ? WHERE username = ?')
        .run(secondFactor ?? null, username);
      if (set.changes !== 1) return false;
      this.db.prepare('DELETE FROM staff_recovery_codes WHERE username = ?').run(username);
      const add = this.db.prepare(
        'INSERT OR IGNORE INTO staff_recovery_codes (username, code_hash) VALUES (?, ?)',
      );
      for (const h of recoveryHashes) add.run(username, h);
      if (secondFactor === undefined)
        this.db.prepare('DELETE FROM staff_sessions WHERE username = ?').run(username);
      return true;
    });
  }

  async useRecoveryCode(username: string, codeHash: string): Promise<boolean> {
    return (
      this.db
        .prepare('DELETE FROM staff_recovery_codes WHERE username = ? AND code_hash = ?')
        .run(username, codeHash).changes === 1
    );
  }

  async createStaffSession(tokenHash: string, s: Omit<StaffSession, 'role'>): Promise<void> {
    this.db
      .prepare('DELETE FROM staff_sessions WHERE expires < ?')
      .run(Math.floor(Date.now() / 1000));
    this.db
      .prepare(
        'INSERT INTO staff_sessions (token_hash, username, csrf, expires) VALUES (?, ?, ?, ?)',
      )
      .run(tokenHash, s.username, s.csrf, hourCeil(s.expires)); // the hour says no second
  }

  async staffSession(tokenHash: string, now: number): Promise<StaffSession | undefined> {
    const r = this.db
      .prepare(
        'SELECT s.username, u.role, s.csrf, s.expires FROM staff_sessions s JOIN staff_users u ON u.username = s.username WHERE s.token_hash = ? AND s.expires > ?',
      )
      .get(tokenHash, now) as
      | { username: string; role: StaffRole; csrf: string; expires: number }
      | undefined;
    return r && { username: r.username, role: r.role, csrf: r.csrf, expires: Number(r.expires) };
  }

  async deleteStaffSession(tokenHash: string): Promise<void> {
    this.db.prepare('DELETE FROM staff_sessions WHERE token_hash = ?').run(tokenHash);
  }

  async recordAudit(e: AuditEntry): Promise<void> {
    this.db
      .prepare('INSERT INTO audit_log (at, username, action, target) VALUES (?, ?, ?, ?)')
      .run(hourFloor(e.at), e.username, e.action, e.target); // on the hour, every row alike
  }

  async auditLog(limit: number, before?: number): Promise<AuditRecord[]> {
    const rows = this.db
      .prepare(
        'SELECT id, at, username, action, target FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?',
      )
      .all(before ?? Number.MAX_SAFE_INTEGER, limit) as unknown as AuditRow[];
    return rows.map(toAuditRecord);
  }

  async attemptSignIn(
    keys: readonly string[],
    now: number,
    throttle: SignInThrottle,
  ): Promise<number> {
    // Synchronous from BEGIN to COMMIT: no other attempt of this process runs in between, and
    // IMMEDIATE keeps other processes out.
    return this.database.transaction(() => {
      this.db
        .prepare('DELETE FROM sign_in_throttle WHERE at < ? AND until < ?')
        .run(now - throttle.forgetSeconds, now);
      const { wait, write } = countAttempt(this.#throttleRows(keys), keys, now, throttle);
      this.#writeThrottle(write);
      return wait;
    });
  }

  async forgiveSignIn(
    reset: readonly string[],
    undo: readonly string[],
    throttle: SignInThrottle,
  ): Promise<void> {
    this.database.transaction(() => {
      const { remove, write } = forgiveAttempt(
        this.#throttleRows([...reset, ...undo]),
        reset,
        undo,
        throttle,
      );
      const drop = this.db.prepare('DELETE FROM sign_in_throttle WHERE key = ?');
      for (const key of remove) drop.run(key);
      this.#writeThrottle(write);
    });
  }

  #writeThrottle(rows: readonly ThrottleRow[]): void {
    const put = this.db.prepare(
      'INSERT OR REPLACE INTO sign_in_throttle (key, failures, at, until) VALUES (?, ?, ?, ?)',
    );
    for (const r of rows) put.run(r.key, r.failures, r.at, r.until);
  }

  #throttleRows(keys: readonly string[]): Map<string, ThrottleRow> {
    const read = this.db.prepare(
      'SELECT key, failures, at, until FROM sign_in_throttle WHERE key = ?',
    );
    const stored = new Map<string, ThrottleRow>();
    for (const key of keys) {
      const row = read.get(key) as ThrottleRow | undefined;
      if (row) stored.set(key, { ...row });
    }
    return stored;
  }
}
