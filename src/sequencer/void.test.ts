import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ENTRIES_LEVEL, ed25519Signer, parseEntryBundle, TILE_WIDTH } from '../log/index.ts';
import {
  type DeclarationEntry,
  decodeEntry,
  encodeEntry,
  headline,
  tally,
  type VoidEntry,
} from '../registry/index.ts';
import { MemoryStore, SqliteStore } from '../store/index.ts';
import { LogWriter, VoidError } from './writer.ts';

const signer = ed25519Signer('example.org/log', new Uint8Array(32).fill(7));
const declaration = (i: number): DeclarationEntry => ({
  kind: 'declaration',
  day: '2026-11-20',
  orgs: i % 2 ? ['party'] : ['league'],
  channel: 'web',
  region: 'CN-SC',
  commitment: new Uint8Array(32).fill(i),
});
const voidOf = (target: number): VoidEntry => ({
  kind: 'void',
  day: '2026-11-25',
  target,
  reason: 'flood',
});

test('a void entry takes its declaration out of the totals; the recount agrees; mistakes write nothing', async () => {
  const store = new MemoryStore();
  const writer = new LogWriter(store, 'example.org/log', signer);
  await writer.reload();
  const ds = Array.from({ length: 300 }, (_, i) => declaration(i));
  await writer.append(ds.map(encodeEntry), ds);
  const voids = [voidOf(3), voidOf(260)];
  await writer.append(voids.map(encodeEntry), voids);
  const state = await store.state();
  assert.equal(headline(state.totals), 298);
  assert.deepEqual(state.totals.voided, { flood: 2 });
  // Entries of a batch are shuffled, so which organisation lost a declaration varies: not the sum.
  assert.equal(
    (state.totals.registered.orgs.party ?? 0) + (state.totals.registered.orgs.league ?? 0),
    298,
  );
  assert.equal(await store.isVoided(3), true);

  const bundles = await store.readTiles(
    [0, 1].map((k) => ({
      level: ENTRIES_LEVEL,
      index: k,
      width: Math.min(TILE_WIDTH, 302 - k * TILE_WIDTH),
    })),
  );
  const entries = bundles
    .flatMap((b, k) => parseEntryBundle(b, Math.min(TILE_WIDTH, 302 - k * TILE_WIDTH)))
    .map(decodeEntry);
  assert.deepEqual(state.totals, tally(entries), 'the recount from the log agrees');

  for (const [what, bad] of [
    ['voided already', [voidOf(3)]],
    ['twice in one batch', [voidOf(5), voidOf(5)]],
    ['not in the log', [voidOf(302)]],
    ['a void entry', [voidOf(300)]],
  ] as const) {
    await assert.rejects(writer.append(bad.map(encodeEntry), [...bad]), VoidError, what);
    assert.equal((await store.state()).treeSize, 302, `${what}: nothing written`);
  }
});

test('a void of an imported record: the store keeps the imported tally apart, and writes it again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-void-'));
  const store = new SqliteStore(dir);
  const writer = new LogWriter(store, 'example.org/log', signer);
  await writer.reload();
  // Alike but for their commitments: a batch is shuffled, and any of them may be the one voided.
  const imported = [0, 1, 2].map(
    (i): DeclarationEntry => ({
      ...declaration(1),
      commitment: new Uint8Array(32).fill(i),
      channel: 'import',
      day: '2005-03-01',
    }),
  );
  const made = [declaration(3)];
  const voids = [voidOf(1)];
  for (const batch of [imported, made, voids]) await writer.append(batch.map(encodeEntry), batch);
  await store.close();
  // Read as a restart would, from the database alone.
  const again = new SqliteStore(dir);
  try {
    const { totals } = await again.state();
    assert.equal(totals.imported.declarants, 2);
    assert.equal(totals.registered.declarants, 1);
    assert.deepEqual(totals, tally([...imported, ...made, ...voids]), 'the recount agrees');
  } finally {
    await again.close();
  }
});

test('a running sequencer voids between its commits, while declarations go on', async () => {
  const { Sequencer } = await import('./sequencer.ts');
  const store = new MemoryStore();
  const sequencer = await Sequencer.open(store, { origin: 'example.org/log', signer, delayMs: 0 });
  const declare = () =>
    sequencer.submit({
      channel: 'web',
      language: 'en',
      declarants: [{ name: 'A', nameKind: 'alias', orgs: ['party'], publish: false }],
    });
  const first = await Promise.all(Array.from({ length: 5 }, declare));
  const target = first[2]?.[0]?.index as number;
  const [treeSize] = await Promise.all([
    sequencer.void([target], 'flood'),
    ...Array.from({ length: 5 }, declare),
  ]);
  assert.ok(treeSize >= 6);
  const state = await store.state();
  assert.equal(state.treeSize, 11);
  assert.equal(headline(state.totals), 9);
  assert.equal(await store.isVoided(target), true);
  await assert.rejects(sequencer.void([target], 'flood'), (e: VoidError) => {
    assert.equal(e.problem, 'voided');
    assert.equal(e.target, target);
    return true;
  });
  await assert.rejects(sequencer.void([99], 'flood'), VoidError);
  assert.equal((await store.state()).treeSize, 11, 'refused voids write nothing');
  await sequencer.close();
});
