// The public view fails closed: it reads nothing beyond the published tree, and has no method
// beyond the PublicLog interface.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { append } from '../../test/stores.ts';
import { ENTRIES_LEVEL, parseEntryBundle } from '../log/index.ts';
import { type LogState, MemoryStore, StoreError } from '../store/index.ts';
import { type PublicLog, PublishedLogView } from './public-log.ts';

/** A store of 300 entries whose public view was published at 260. */
async function published260() {
  const store = new MemoryStore();
  await append(store, 260);
  const at260: LogState = await store.state();
  await append(store, 40);
  const view = new PublishedLogView(store, { published: async () => at260 });
  return { store, view };
}

test('the public view reads nothing beyond the published tree size', async () => {
  const { store, view } = await published260();
  assert.equal((await store.state()).treeSize, 300);
  assert.equal((await view.state()).treeSize, 260);
  const notFound = (e: unknown) => e instanceof StoreError && e.code === 'not-found';
  // Entries 256..299 are stored; only 256..259 are published.
  await assert.rejects(view.readTiles([{ level: 0, index: 1, width: 5 }]), notFound);
  await assert.rejects(view.readTiles([{ level: ENTRIES_LEVEL, index: 1, width: 44 }]), notFound);
  await assert.rejects(view.readTiles([{ level: 1, index: 0, width: 2 }]), notFound);
  // Within the published tree: what was asked, never the store's wider version.
  const [hashes, bundle, full] = await view.readTiles([
    { level: 0, index: 1, width: 4 },
    { level: ENTRIES_LEVEL, index: 1, width: 4 },
    { level: 0, index: 0, width: 256 },
  ]);
  const [stored] = await store.readTiles([{ level: 0, index: 1, width: 4 }]);
  assert.equal(stored?.length, 44 * 32, 'the store keeps the wider tile');
  assert.equal(hashes?.length, 4 * 32);
  assert.deepEqual(hashes, stored?.subarray(0, 4 * 32));
  assert.equal(parseEntryBundle(bundle as Uint8Array).length, 4);
  assert.equal(full?.length, 256 * 32);
});

test('the public view refuses a tile beyond the size even after reading a larger state', async () => {
  // The view's cached size only grows with what was published: a stale read cannot widen it.
  const { view } = await published260();
  await view.readTiles([{ level: 0, index: 0, width: 256 }]);
  await assert.rejects(view.readTiles([{ level: 0, index: 1, width: 44 }]));
});

test('the public view has no method beyond the PublicLog interface', () => {
  const view = new PublishedLogView(new MemoryStore());
  const allowed: ReadonlyArray<keyof PublicLog> = ['readTiles', 'state'];
  const names = new Set<string>();
  for (
    let o: object | null = view;
    o !== null && o !== Object.prototype;
    o = Object.getPrototypeOf(o)
  )
    for (const name of Object.getOwnPropertyNames(o)) if (name !== 'constructor') names.add(name);
  assert.deepEqual([...names].sort(), [...allowed].sort());
  // The store is held privately: nothing on the view reaches it.
  assert.equal(Object.keys(view).includes('store'), false);
  assert.equal((view as unknown as Record<string, unknown>).commit, undefined);
  assert.equal((view as unknown as Record<string, unknown>).site, undefined);
});
