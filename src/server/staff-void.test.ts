// Voids from the web while the registry runs: administrators only, asked twice, written by the
// running sequencer (SQLite: the single-machine sequencer; PostgreSQL: the cluster's), audited.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { freshSchema, postgresUrl } from '../../test/postgres.ts';
import { addStaff, signIn, staffAppOptions } from '../../test/staff.ts';
import { ed25519Signer } from '../log/index.ts';
import { headline } from '../registry/index.ts';
import { ClusterSequencer } from '../sequencer/cluster.ts';
import { type Declarations, Sequencer } from '../sequencer/index.ts';
import { PostgresStore, SqliteStore, type Store } from '../store/index.ts';
import { buildApp } from './app.ts';

const options = {
  origin: 'v.example/log',
  signer: ed25519Signer('v.example/log', new Uint8Array(32).fill(8)),
  delayMs: 0,
};

const backends: Array<[string, () => Promise<{ store: Store; sequencer: Declarations }>]> = [
  [
    'sqlite',
    async () => {
      const store = new SqliteStore(mkdtempSync(join(tmpdir(), 'tuidang-void-')));
      return { store, sequencer: await Sequencer.open(store, options) };
    },
  ],
  [
    'postgres',
    async () => {
      const store = new PostgresStore(postgresUrl, { schema: freshSchema() });
      return { store, sequencer: await ClusterSequencer.open(store, options) };
    },
  ],
];

for (const [name, make] of backends) {
  describe(`voids from the web (${name})`, () => {
    test('an administrator voids with a reason while declarations go on; mistakes write nothing', async () => {
      const { store, sequencer } = await make();
      await addStaff(store, ['ad', 'admin'], ['mo', 'moderator']);
      const app = await buildApp(
        staffAppOptions(store, { sequencer, vkey: 'v.example/log+00000000+AQ==' }),
      );
      const declare = () =>
        sequencer.submit({
          channel: 'web',
          language: 'en',
          declarants: [{ name: 'A', nameKind: 'alias', orgs: ['party'], publish: false }],
        });
      const receipts = (await Promise.all([declare(), declare(), declare()])).flat();
      const target = receipts[1]?.index as number;
      const admin = await signIn(app, 'ad', 'ad password 12');
      const mo = await signIn(app, 'mo', 'mo password 12');

      assert.equal((await mo.get('/staff/void')).statusCode, 403, 'administrators only');
      assert.equal(
        (await mo.post('/staff/void', { indexes: String(target), reason: 'flood', confirm: 'yes' }))
          .statusCode,
        403,
      );
      const form = await admin.get('/staff/void');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /<select id="reason" name="reason">/);

      const ask = await admin.post('/staff/void', { indexes: String(target), reason: 'flood' });
      assert.equal(ask.statusCode, 200);
      assert.match(ask.body, /Void these entries\?/);
      assert.match(ask.body, /reason: flood of fake declarations/);
      assert.equal((await store.state()).treeSize, 3, 'asked, not done');

      const [done] = await Promise.all([
        admin.post('/staff/void', { indexes: String(target), reason: 'flood', confirm: 'yes' }),
        declare(),
      ]);
      assert.equal(done.statusCode, 303);
      const after = await admin.get(String(done.headers.location));
      assert.match(after.body, /One entry voided\. The log now has [45] entries\./);
      const state = await store.state();
      assert.equal(state.treeSize, 5);
      assert.equal(headline(state.totals), 3);
      assert.deepEqual(state.totals.voided, { flood: 1 });
      assert.equal(await store.isVoided(target), true);
      const [audit] = await store.site.auditLog(1);
      assert.deepEqual(
        [audit?.username, audit?.action, audit?.target],
        ['ad', 'void', `${target} (flood)`],
      );

      for (const [fields, sentence] of [
        [{ indexes: String(target), reason: 'flood' }, /is voided already\. Nothing was voided\./],
        [{ indexes: '99', reason: 'flood' }, /Entry 99 is not in the log\. Nothing was voided\./],
        [{ indexes: '0x1', reason: 'flood' }, /Write the entry numbers in digits/],
        [{ indexes: '1', reason: 'boredom' }, /Choose one of the reasons/],
      ] as const) {
        const res = await admin.post('/staff/void', { ...fields, confirm: 'yes' });
        assert.equal(res.statusCode, 400, fields.indexes);
        assert.match(res.body, sentence);
      }
      assert.equal((await store.state()).treeSize, 5, 'refused voids write nothing');
      await app.close();
      await sequencer.close();
      await store.close();
    });
  });
}
