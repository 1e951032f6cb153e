// Staff accounts, sessions, sign-in throttling and the audit log in PostgreSQL (part of the
// site's state: PostgresSite extends this).
import type pg from 'pg';
import type { PgDatabase } from './postgres-db.ts';
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
import { hourCeil, hourFloor } from './store.ts';

export class PostgresStaff {
  protected readonly db: PgDatabase;

  constructor(db: PgDatabase) {
    this.db = db;
  }

  async createStaffUser(u: StaffUser): Promise<boolean> {
    const r = await this.db.query(
      'INSERT INTO staff_users (username, role, password_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [u.username, u.role, u.passwordHash],
    );
    return r.rowCount === 1;
  }

  async staffUser(username: string): Promise<StaffUser | undefined> {
    const r = (
      await this.db.query<{
        username: string;
        role: StaffRole;
        password_hash: string;
        second_factor: string | null;
      }>(
        'SELECT username, role, password_hash, second_factor FROM staff_users WHERE username = $1',
        [username],
      )
    ).rows[0];
    return r && toStaffUser(r);
  }

  async setSecondFactor(
    username: string,
    secondFactor: string | undefined,
    recoveryHashes: readonly string[],
  ): Promise<boolean> {
    return this.db.transaction('could not set a second factor', async (client) => {
      const set = await client.query(
        'UPDATE staff_users SET second_factor = $1 WHERE username = $2',
        [secondFactor ?? null, username],
      );
      if (set.rowCount !== 1) return false;
      await client.query('DELETE FROM staff_recovery_codes WHERE username = $1', [username]);
      await client.query(
        'INSERT INTO staff_recovery_codes (username, code_hash) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING',
        [username, [...recoveryHashes]],
      );
      if (secondFactor === undefined)
        await client.query('DELETE FROM staff_sessions WHERE username = $1', [username]);
      return true;
    });
  }

  async useRecoveryCode(username: string, codeHash: string): Promise<boolean> {
    const r = await this.db.query(
      'DELETE FROM staff_recovery_codes WHERE username = $1 AND code_hash = $2',
      [username, codeHash],
    );
    return r.rowCount === 1;
  }

  async createStaffSession(tokenHash: string, s: Omit<StaffSession, 'role'>): Promise<void> {
    await this.db.query('DELETE FROM staff_sessions WHERE expires < $1', [
      Math.floor(Date.now() / 1000),
    ]);
    await this.db.query(
      'INSERT INTO staff_sessions (token_hash, username, csrf, expires) VALUES ($1, $2, $3, $4)',
      [tokenHash, s.username, s.csrf, hourCeil(s.expires)], // the hour says no second
    );
  }

  async staffSession(tokenHash: string, now: number): Promise<StaffSession | undefined> {
    const r = (
      await this.db.query<{ username: string; role: StaffRole; csrf: string; expires: string }>(
        'SELECT s.username, u.role, s.csrf, s.expires FROM staff_sessions s JOIN staff_users u ON u.username = s.username WHERE s.token_hash = $1 AND s.expires > $2',
        [tokenHash, now],
      )
    ).rows[0];
    return r && { username: r.username, role: r.role, csrf: r.csrf, expires: Number(r.expires) };
  }

  async deleteStaffSession(tokenHash: string): Promise<void> {
    await this.db.query('DELETE FROM staff_sessions WHERE token_hash = $1', [tokenHash]);
  }

  async recordAudit(e: AuditEntry): Promise<void> {
    await this.db.query(
      'INSERT INTO audit_log (at, username, action, target) VALUES ($1, $2, $3, $4)',
      [hourFloor(e.at), e.username, e.action, e.target], // on the hour, every row alike
    );
  }

  async auditLog(limit: number, before?: number): Promise<AuditRecord[]> {
    const { rows } = await this.db.query<AuditRow>(
      'SELECT id, at, username, action, target FROM audit_log WHERE ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $1',
      [limit, before ?? null],
    );
    return rows.map(toAuditRecord);
  }

  async attemptSignIn(
    keys: readonly string[],
    now: number,
    throttle: SignInThrottle,
  ): Promise<number> {
    return this.db.transaction('could not count a sign-in attempt', async (client) => {
      await client.query('DELETE FROM sign_in_throttle WHERE at < $1 AND until < $2', [
        now - throttle.forgetSeconds,
        now,
      ]);
      const stored = await lockThrottle(client, keys);
      const { wait, write } = countAttempt(stored, keys, now, throttle);
      await writeThrottle(client, write);
      return wait;
    });
  }

  async forgiveSignIn(
    reset: readonly string[],
    undo: readonly string[],
    throttle: SignInThrottle,
  ): Promise<void> {
    await this.db.transaction('could not forgive a sign-in attempt', async (client) => {
      const stored = await lockThrottle(client, [...reset, ...undo]);
      const { remove, write } = forgiveAttempt(stored, reset, undo, throttle);
      await client.query('DELETE FROM sign_in_throttle WHERE key = ANY($1::text[])', [remove]);
      await writeThrottle(client, write);
    });
  }
}

/** The throttle rows of `keys`, locked until the transaction ends (created if missing). */
async function lockThrottle(
  client: pg.PoolClient,
  keys: readonly string[],
): Promise<Map<string, ThrottleRow>> {
  const sorted = [...new Set(keys)].sort(); // one lock order for every transaction: no deadlock
  await client.query(
    'INSERT INTO sign_in_throttle (key, failures, at, until) SELECT unnest($1::text[]), 0, 0, 0 ON CONFLICT DO NOTHING',
    [sorted],
  );
  const { rows } = await client.query<{
    key: string;
    failures: number;
    at: string;
    until: string;
  }>(
    'SELECT key, failures, at, until FROM sign_in_throttle WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE',
    [sorted],
  );
  return new Map(
    rows.map((r) => [
      r.key,
      { key: r.key, failures: r.failures, at: Number(r.at), until: Number(r.until) },
    ]),
  );
}

async function writeThrottle(client: pg.PoolClient, rows: readonly ThrottleRow[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `UPDATE sign_in_throttle t SET failures = r.failures, at = r.at, until = r.until
     FROM unnest($1::text[], $2::int[], $3::bigint[], $4::bigint[]) AS r(key, failures, at, until)
     WHERE t.key = r.key`,
    [
      rows.map((r) => r.key),
      rows.map((r) => r.failures),
      rows.map((r) => r.at),
      rows.map((r) => r.until),
    ],
  );
}
