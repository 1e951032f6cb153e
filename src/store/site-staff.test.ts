// The SiteStore contract (site-store.ts) for staff, one suite for every backend: accounts and
// sessions, second factors and recovery codes, the sign-in throttle, the audit log (site.test.ts
// has publications, moderation and subscribers).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backends } from '../../test/stores.ts';

for (const [name, make] of backends) {
  describe(`${name} site store: staff`, () => {
    test('staff: accounts, sessions with the current role until they expire, the audit log', async () => {
      const { store } = make();
      assert.equal(
        await store.site.createStaffUser({
          username: 'mo',
          role: 'moderator',
          passwordHash: '$argon2id$x',
        }),
        true,
      );
      assert.equal(
        await store.site.createStaffUser({
          username: 'mo',
          role: 'admin',
          passwordHash: '$argon2id$y',
        }),
        false,
        'taken',
      );
      assert.deepEqual(await store.site.staffUser('mo'), {
        username: 'mo',
        role: 'moderator',
        passwordHash: '$argon2id$x',
      });
      assert.equal(await store.site.staffUser('nobody'), undefined);
      // Kept on the hour: an expiry at 2,000 s is kept as 3,600 (no second of a sign-in).
      await store.site.createStaffSession('hash1', { username: 'mo', csrf: 'c1', expires: 2000 });
      assert.deepEqual(await store.site.staffSession('hash1', 1000), {
        username: 'mo',
        role: 'moderator',
        csrf: 'c1',
        expires: 3600,
      });
      assert.equal(await store.site.staffSession('hash1', 3600), undefined, 'expired');
      assert.equal(await store.site.staffSession('other', 1000), undefined);
      await store.site.deleteStaffSession('hash1');
      assert.equal(await store.site.staffSession('hash1', 1000), undefined);
      await store.site.recordAudit({ at: 1, username: 'mo', action: 'approve', target: '12' });
      await store.site.recordAudit({ at: 2, username: 'mo', action: 'erase', target: '13' });
      await store.site.recordAudit({ at: 7300, username: 'mo', action: 'login', target: '' });
      assert.deepEqual(
        (await store.site.auditLog(10)).map((e) => [e.action, e.at]),
        [
          ['login', 7200],
          ['erase', 0],
          ['approve', 0],
        ],
        'every audit time on the hour, whatever its action',
      );
      await store.close();
    });

    test('audit log pages newest first by id', async () => {
      const { store } = make();
      for (let i = 1; i <= 7; i++)
        await store.site.recordAudit({
          at: i,
          username: 'mo',
          action: 'approve',
          target: String(i),
        });
      const page = await store.site.auditLog(3);
      assert.deepEqual(
        page.map((e) => e.target),
        ['7', '6', '5'],
      );
      const older = await store.site.auditLog(3, page.at(-1)?.id);
      assert.deepEqual(
        older.map((e) => e.target),
        ['4', '3', '2'],
      );
      assert.deepEqual(
        (await store.site.auditLog(3, older.at(-1)?.id)).map((e) => e.target),
        ['1'],
      );
      await store.close();
    });

    test('staff second factors: sealed secret and recovery codes set together, codes used once, a reset ends the sessions', async () => {
      const { store } = make();
      await store.site.createStaffUser({
        username: 'mo',
        role: 'moderator',
        passwordHash: '$argon2id$x',
      });
      assert.equal(await store.site.setSecondFactor('nobody', 'sealed', ['h1']), false);
      assert.equal(await store.site.setSecondFactor('mo', 'sealed', ['h1', 'h2']), true);
      assert.equal((await store.site.staffUser('mo'))?.secondFactor, 'sealed');
      assert.equal(await store.site.useRecoveryCode('mo', 'h1'), true);
      assert.equal(await store.site.useRecoveryCode('mo', 'h1'), false, 'once');
      assert.equal(await store.site.useRecoveryCode('other', 'h2'), false, "another account's");
      // A new factor replaces the old codes.
      await store.site.setSecondFactor('mo', 'sealed2', ['h3']);
      assert.equal(await store.site.useRecoveryCode('mo', 'h2'), false);
      await store.site.createStaffSession('s1', { username: 'mo', csrf: 'c', expires: 5000 });
      assert.notEqual(
        await store.site.staffSession('s1', 1000),
        undefined,
        'setting keeps sessions',
      );
      assert.equal(await store.site.setSecondFactor('mo', undefined, []), true);
      assert.deepEqual(await store.site.staffUser('mo'), {
        username: 'mo',
        role: 'moderator',
        passwordHash: '$argon2id$x',
      });
      assert.equal(await store.site.useRecoveryCode('mo', 'h3'), false);
      assert.equal(
        await store.site.staffSession('s1', 1000),
        undefined,
        'a reset ends the sessions',
      );
      await store.close();
    });

    test('sign-in throttle: check and count in one step, even for concurrent attempts', async () => {
      const { store } = make();
      // Three failures free, then a wait that doubles; per key.
      const throttle = {
        wait: (_key: string, failures: number) => (failures < 3 ? 0 : 2 ** (failures - 3) * 60),
        forgetSeconds: 86_400,
      };
      const burst = (keys: string[], now: number) =>
        Promise.all(
          Array.from({ length: 40 }, () => store.site.attemptSignIn(keys, now, throttle)),
        );
      const allowed = (waits: number[]) => waits.filter((w) => w === 0).length;
      // Times on the hour: a failure is stored to the hour, the end of a wait to the minute.
      assert.equal(allowed(await burst(['pair:a', 'addr:a'], 7200)), 3, 'three tries, not 40');
      assert.equal(await store.site.attemptSignIn(['pair:a'], 7230, throttle), 30);
      assert.equal(await store.site.attemptSignIn(['pair:b'], 7230, throttle), 0, 'another key');
      assert.equal(allowed(await burst(['pair:a', 'addr:a'], 7260)), 1, 'after the wait: one');
      assert.equal(
        await store.site.attemptSignIn(['pair:a'], 7261, throttle),
        119,
        'then it doubles',
      );
      // A success forgets the account's failures and takes back the one counted on the address:
      // its three earlier failures still make it wait, to the end of the running wait.
      await store.site.forgiveSignIn(['pair:a'], ['addr:a'], throttle);
      assert.equal(await store.site.attemptSignIn(['pair:a'], 7262, throttle), 0);
      assert.equal(await store.site.attemptSignIn(['addr:a'], 7262, throttle), 118);
      await store.site.forgiveSignIn([], ['addr:a', 'addr:none'], throttle);
      assert.equal(
        await store.site.attemptSignIn(['addr:a'], 7262, throttle),
        0,
        'two failures are free',
      );
      assert.equal(
        await store.site.attemptSignIn(['addr:a'], 7200 + 86_400 + 61, throttle),
        0,
        'failures are forgotten after a day',
      );
      // A wait ends on a whole minute, never sooner than asked.
      await store.site.attemptSignIn(['pair:c'], 7201, throttle);
      await store.site.attemptSignIn(['pair:c'], 7201, throttle);
      await store.site.attemptSignIn(['pair:c'], 7201, throttle);
      assert.equal(await store.site.attemptSignIn(['pair:c'], 7202, throttle), 118);
      await store.close();
    });
  });
}
