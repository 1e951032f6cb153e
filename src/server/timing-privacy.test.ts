// What a seized database says of time (docs/timing-privacy.md, "What the database keeps of
// time"): after a run of declarations (API with proof of work and Idempotency-Key, the form
// without JavaScript with its ticket, a volunteer's), statements approved by a moderator, staff
// sign-ins and newsletter sign-ups, confirmations and unsubscriptions, every table of the store
// is read, every value that could be a time is found, and each must be one the document lists,
// no finer than it says. Cosignatures in checkpoints are dated at publication instants, and
// `checkpoints` holds no commit between two publications. Both stores: SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, test } from 'node:test';
import { solveChallenge } from 'altcha-lib';
import pg from 'pg';
import { freshSchema, postgresUrl } from '../../test/postgres.ts';
import { smtpServer } from '../../test/smtp.ts';
import { addStaffSealedBy, attemptSignIn, signIn, signInForm } from '../../test/staff.ts';
import { readConfig } from '../config/index.ts';
import { COSIGNATURE_V1, generateKey, parseSignerKey, signerFromKey } from '../log/index.ts';
import { databasePath, WitnessState } from '../store/index.ts';
import { deriveKey } from '../web/client/scrypt-key.ts';
import { buildWitnessApp } from '../witness/index.ts';
import { staffSecretOf, startRegistry } from './start.ts';

const INTERVAL = 5;
const HOUR = 3600;
const { inbox, port: smtpPort } = smtpServer();

/**
 * Every column that may hold a time, and the granularity the document states for it, in seconds
 * (its values are multiples of it). Any other column holding a time fails the test.
 */
const STATED: Record<string, number> = {
  'publication.at': INTERVAL, // the instant of the latest publication
  'idempotency.expires': HOUR,
  'spent_tokens.expires': HOUR,
  'subscribers.expires': HOUR,
  'staff_sessions.expires': HOUR,
  'audit_log.at': HOUR,
  // The staff sign-in throttle: a key's last failure on the hour, the end of its wait to the minute.
  'sign_in_throttle.at': HOUR,
  'sign_in_throttle.until': 60,
  // Staff declarations for others: each batch's hour, and each account's count per hour.
  'volunteer_batches.hour': HOUR,
  'volunteer_hours.hour': HOUR,
  // A moderator's decision, to the second: the time of an approval, not of a declaration.
  'publications.approved_at': 1,
  // A node's last heartbeat (PostgreSQL clusters): when a process was alive.
  'nodes.seen': 1,
};

/** The seconds a value stands for, if it could be a time (2001 to 2096, in seconds or ms). */
function asTime(value: unknown): number | undefined {
  const n =
    typeof value === 'number' || typeof value === 'bigint'
      ? Number(value)
      : typeof value === 'string' && /^\d+$/.test(value)
        ? Number(value)
        : undefined;
  if (n === undefined) return undefined;
  if (n >= 1e9 && n < 4e9) return n;
  if (n >= 1e12 && n < 4e12) return n / 1000;
  return undefined;
}

/** Cosignature timestamps in a checkpoint note: signature lines of 76 bytes (c2sp cosignature/v1). */
function cosignatureTimes(note: string): number[] {
  return [...note.matchAll(/^\u2014 \S+ (\S+)$/gm)].flatMap((m) => {
    const sig = Buffer.from(m[1] ?? '', 'base64');
    return sig.length === 76 ? [Number(sig.readBigUInt64BE(4))] : [];
  });
}

type Rows = Map<string, Array<Record<string, unknown>>>;

/** What is wrong with a store's tables; an empty list when every time is as stated. */
function audit(tables: Rows, latestSize: number): string[] {
  const problems: string[] = [];
  for (const [table, rows] of tables) {
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        const where = `${table}.${column}`;
        if (typeof value === 'string' || (typeof value === 'object' && !ArrayBuffer.isView(value)))
          if (/\d{4}-\d\d-\d\d[T ]\d\d:\d\d/.test(JSON.stringify(value)))
            problems.push(`${where} holds a time of day`);
        const seconds = asTime(value);
        if (seconds === undefined) continue;
        const step = STATED[where];
        if (step === undefined) problems.push(`${where} holds a time (${value}) not stated`);
        else if (seconds % step !== 0) problems.push(`${where} = ${value}, finer than ${step} s`);
      }
    }
  }
  const checkpoints = tables.get('checkpoints') ?? [];
  for (const c of checkpoints) {
    for (const t of cosignatureTimes(String(c.note)))
      if (t % INTERVAL > 1) problems.push(`a cosignature dated ${t}: not a publication instant`);
    const published = c.published === true || c.published === 1 || c.published === 1n;
    if (!published && Number(c.tree_size) !== latestSize)
      problems.push(`checkpoints keeps the commit at ${c.tree_size}, between publications`);
  }
  return problems;
}

async function sqliteTables(dir: string): Promise<Rows> {
  const db = new DatabaseSync(databasePath(dir), { readOnly: true });
  try {
    const names = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((r) => String(r.name));
    return new Map(
      names.map((n) => [n, db.prepare(`SELECT * FROM "${n}"`).all() as Record<string, unknown>[]]),
    );
  } finally {
    db.close();
  }
}

async function postgresTables(schema: string): Promise<Rows> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
      [schema],
    );
    const out: Rows = new Map();
    for (const { table_name: t } of rows)
      out.set(t, (await client.query(`SELECT * FROM ${schema}."${t}"`)).rows);
    return out;
  } finally {
    await client.end();
  }
}

async function witness() {
  const key = generateKey('w.example/witness', COSIGNATURE_V1);
  return {
    key,
    start: async (logVkey: string, origin: string) => {
      const { verifierFromKey } = await import('../log/index.ts');
      const app = await buildWitnessApp({
        signer: signerFromKey(key.skey),
        logs: new Map([[origin, [verifierFromKey(logVkey)]]]),
        state: new WitnessState(':memory:'),
      });
      return { app, url: await app.listen({ port: 0, host: '127.0.0.1' }) };
    },
  };
}

/** A run of everything that records something, on a registry with these settings. */
async function run(env: Record<string, string>): Promise<number> {
  const origin = 'timing.example/log';
  const logKey = generateKey(origin);
  const w = await witness();
  const witnessServer = await w.start(logKey.vkey, origin);
  const registry = await startRegistry(
    readConfig({
      ...env,
      PORT: '0',
      TUIDANG_ORIGIN: origin,
      TUIDANG_SIGNER_KEY: logKey.skey,
      TUIDANG_PUBLISH_INTERVAL: String(INTERVAL),
      TUIDANG_POW: 'on',
      TUIDANG_POW_COST: '20',
      TUIDANG_POW_WAIT: '0',
      TUIDANG_WITNESSES: `${witnessServer.url} ${w.key.vkey}`,
      TUIDANG_WITNESS_TIMEOUT: '2000',
      SMTP_URL: `smtp://127.0.0.1:${smtpPort()}`,
      TUIDANG_PUBLIC_URL: 'https://registry.example',
      RATE_LIMIT: '0',
    }),
  );
  const { app, store } = registry;
  try {
    // Declarations through the API, with a solved challenge and an Idempotency-Key, some of them
    // with a statement to publish; spread over more than one publication.
    const declare = async (i: number) => {
      const challenge = (await app.inject({ method: 'GET', url: '/api/v1/challenge' })).json();
      const solution = await solveChallenge({ challenge, deriveKey });
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/declarations',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
          altcha: Buffer.from(JSON.stringify({ challenge, solution })).toString('base64'),
        },
        payload: {
          language: 'zh-Hans',
          declarants: [
            {
              name: `李${i}`,
              nameKind: 'alias',
              orgs: ['league'],
              ...(i % 2 === 0 ? { statement: `三退 ${i}`, publish: true } : {}),
            },
          ],
        },
      });
      assert.equal(res.statusCode, 201, res.body);
    };
    for (let i = 0; i < 4; i++) {
      await declare(i);
      await new Promise((r) => setTimeout(r, 1300));
    }
    // The form without JavaScript: its ticket.
    const form = await app.inject({ method: 'GET', url: '/en/declare' });
    const ticket = /name="ticket" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const key = /name="key" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const posted = await app.inject({
      method: 'POST',
      url: '/en/declare',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `rows=1&key=${encodeURIComponent(key)}&ticket=${ticket}&d0.name=Li&d0.nameKind=alias&d0.orgs=party&action=declare`,
    });
    assert.equal(posted.statusCode, 200, posted.body.slice(0, 300));
    // Staff: sign-ins, a moderator's approvals, a volunteer's declaration.
    await addStaffSealedBy(
      staffSecretOf(parseSignerKey(logKey.skey).key),
      store,
      ['mo', 'moderator'],
      ['vol', 'volunteer'],
    );
    // A wrong password first: the sign-in throttle keeps a row for it.
    for (let i = 0; i < 3; i++)
      await attemptSignIn(app, await signInForm(app), 'mo', 'not the password', '198.51.100.9');
    const mo = await signIn(app, 'mo', 'mo password 12');
    const pending = await store.site.publications({ status: 'pending', limit: 50 });
    assert.ok(pending.length >= 2);
    for (const p of pending) {
      const r = await mo.post('/staff/moderate', { action: 'approve', index: String(p.index) });
      assert.ok(r.statusCode < 400, `approve: ${r.statusCode}`);
    }
    const vol = await signIn(app, 'vol', 'vol password 12');
    const byVolunteer = await vol.post('/staff/declare', {
      channel: 'phone',
      rows: '1',
      'd0.name': '王',
      'd0.nameKind': 'alias',
      'd0.orgs': 'party',
      action: 'declare',
    });
    assert.equal(byVolunteer.statusCode, 200, byVolunteer.body.slice(0, 300));
    // Newsletter: two sign-ups, one confirmed, the other unsubscribed.
    const tag = randomUUID().slice(0, 8);
    const [reader, leaver] = [`reader-${tag}`, `leaver-${tag}`];
    const mails = inbox.length;
    for (const who of [reader, leaver]) {
      const r = await app.inject({
        method: 'POST',
        url: '/en/newsletter',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `email=${who}%40mail.example&consent=yes`,
      });
      assert.equal(r.statusCode, 200);
    }
    for (let i = 0; i < 100 && inbox.length < mails + 2; i++)
      await new Promise((r) => setTimeout(r, 50));
    const linkTo = (who: string, path: string) =>
      new RegExp(`https://registry\\.example((?:/[a-z-]+)?/newsletter/${path}\\?[^\\s>]+)`).exec(
        (inbox.find((m) => m.to.includes(`${who}@mail.example`))?.raw ?? '').replaceAll(
          '=\r\n',
          '',
        ),
      )?.[1] ?? '';
    const confirm = linkTo(reader, 'confirm').replaceAll('=3D', '=');
    assert.equal((await app.inject({ method: 'GET', url: confirm })).statusCode, 200);
    const leave = linkTo(leaver, 'unsubscribe').replaceAll('=3D', '=');
    const left = await app.inject({
      method: 'POST',
      url: leave,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    assert.equal(left.statusCode, 200);
    // Let a publication take what was declared last.
    await new Promise((r) => setTimeout(r, (INTERVAL + 1) * 1000));
    return (await store.state()).treeSize;
  } finally {
    await registry.close();
    await witnessServer.app.close();
  }
}

describe('a seized database holds no time finer than the document states', () => {
  test('sqlite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tuidang-timing-'));
    const size = await run({ DATA_DIR: dir });
    const tables = await sqliteTables(dir);
    assert.ok(tables.has('spent_tokens') && (tables.get('spent_tokens') ?? []).length >= 5);
    assert.ok((tables.get('sign_in_throttle') ?? []).length > 0, 'the failed sign-ins are kept');
    assert.deepEqual(audit(tables, size), []);
  });

  test('postgres', async () => {
    const schema = freshSchema();
    const size = await run({
      DATA_DIR: mkdtempSync(join(tmpdir(), 'tuidang-timing-')),
      DATABASE_URL: postgresUrl,
      DATABASE_SCHEMA: schema,
    });
    const tables = await postgresTables(schema);
    assert.ok((tables.get('spent_tokens') ?? []).length >= 5);
    assert.ok((tables.get('sign_in_throttle') ?? []).length > 0, 'the failed sign-ins are kept');
    assert.deepEqual(audit(tables, size), []);
  });
});
