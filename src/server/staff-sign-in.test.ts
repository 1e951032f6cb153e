// Staff sign-in throttling over HTTP, on every store: per account and address, per address over
// all accounts, atomic under concurrent guesses, and no address kept or logged in the clear.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { freshSchema, postgresUrl } from '../../test/postgres.ts';
import { attemptSignIn, noSequencer, signInForm } from '../../test/staff.ts';
import { MemoryStore, PostgresStore, SqliteStore, type Store } from '../store/index.ts';
import { buildApp } from './app.ts';
import { createLogger } from './logger.ts';
import { hashPassword } from './password.ts';

const sequencer = noSequencer;
const ATTACKER = '203.0.113.7';
const MODERATOR = '198.51.100.20';

const backends: Array<[string, () => { store: Store; dir?: string }]> = [
  ['memory', () => ({ store: new MemoryStore() })],
  [
    'sqlite',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'tuidang-sign-in-'));
      return { store: new SqliteStore(dir), dir };
    },
  ],
  ['postgres', () => ({ store: new PostgresStore(postgresUrl, { schema: freshSchema() }) })],
];

for (const [name, make] of backends) {
  describe(`staff sign-in throttle (${name})`, () => {
    test('a guesser locks out only their own address; the moderator signs in from theirs; a burst gets one password check', async () => {
      const { store, dir } = make();
      await store.createStaffUser({
        username: 'mo',
        role: 'moderator',
        passwordHash: await hashPassword('correct horse battery'),
      });
      const logLines: string[] = [];
      let clock = Date.parse('2026-11-25T12:00:00Z');
      const app = await buildApp({
        store,
        sequencer,
        vkey: 'x.example/log+00000000+AQ==',
        logger: createLogger({ write: (l: string) => logLines.push(l) }),
        now: () => clock,
      });
      const form = await signInForm(app);
      for (let i = 0; i < 4; i++) await attemptSignIn(app, form, 'mo', `guess ${i}`, ATTACKER);
      const locked = await attemptSignIn(app, form, 'mo', 'correct horse battery', ATTACKER);
      assert.equal(locked.statusCode, 429, 'the account is locked at the guesser’s address');
      assert.ok(Number(locked.headers['retry-after']) > 0);
      assert.match(locked.body, /please wait \d+ seconds?/);
      const moderator = await attemptSignIn(app, form, 'mo', 'correct horse battery', MODERATOR);
      assert.equal(moderator.statusCode, 303, 'the moderator still signs in from another address');

      // After the wait, 40 guesses at once: one password check (401), the others wait (429).
      clock += 16 * 60 * 1000;
      const burst = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          attemptSignIn(app, form, 'mo', `burst ${i}`, ATTACKER),
        ),
      );
      const statuses = burst.map((r) => r.statusCode);
      assert.equal(statuses.filter((s) => s === 401).length, 1, `checks: ${statuses.join(' ')}`);
      assert.equal(statuses.filter((s) => s === 429).length, 39);

      // Spraying over many accounts from one address: ten failures free, then it waits.
      const sprayer = '192.0.2.55';
      const sprayed = [];
      for (let i = 0; i < 12; i++)
        sprayed.push((await attemptSignIn(app, form, `user${i}`, 'password', sprayer)).statusCode);
      assert.deepEqual(sprayed, [...Array(10).fill(401), 429, 429]);
      // An IPv6 client is its /64: rotating addresses within it does not buy more guesses.
      const rotated = [];
      for (let i = 1; i <= 12; i++)
        rotated.push(
          (
            await attemptSignIn(
              app,
              form,
              `other${i}`,
              'password',
              `2001:db8:1:2::${i.toString(16)}`,
            )
          ).statusCode,
        );
      assert.deepEqual(rotated, [...Array(10).fill(401), 429, 429]);
      assert.equal(
        (await attemptSignIn(app, form, 'mo', 'correct horse battery', MODERATOR)).statusCode,
        303,
      );

      await app.close();
      await store.close();
      for (const secret of [ATTACKER, MODERATOR, sprayer, 'correct horse battery', 'burst 1'])
        assert.equal(logLines.join('').includes(secret), false, `${secret} in the logs`);
      if (dir !== undefined) {
        // The database and its WAL hold keyed hashes of addresses, never the addresses.
        for (const file of readdirSync(dir)) {
          const bytes: Buffer = readFileSync(join(dir, file));
          for (const address of [ATTACKER, MODERATOR, sprayer])
            assert.equal(bytes.includes(address), false, `${address} in ${file}`);
        }
      }
    });
  });
}
