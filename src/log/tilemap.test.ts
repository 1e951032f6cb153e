// The in-memory tile set that tests, the in-memory store and the browser's verifier build trees in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { integrate } from './integrate.ts';
import { edgeTiles } from './tile.ts';
import { nextEdge, TileMap } from './tilemap.ts';

const entries = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => Uint8Array.of(from + i));

test('a wider version of a tile replaces a narrower one, and a narrower one is not read as wider', async () => {
  const tiles = new TileMap();
  const first = await integrate(tiles.readTiles, 0, entries(0, 3));
  tiles.apply(first.tiles);
  const size = tiles.size;
  const tile = { level: 0, index: 0, width: 3 };
  assert.equal(tiles.get(tile)?.tile.width, 3);
  await assert.rejects(tiles.readTiles([{ ...tile, width: 4 }]), {
    code: 'out-of-range',
    message: 'tile 0/0 (width 4) is not stored',
  });
  await assert.rejects(tiles.readTiles([{ level: 1, index: 0, width: 1 }]), {
    code: 'out-of-range',
  });
  const second = await integrate(tiles.readTiles, 3, entries(3, 5));
  tiles.apply(second.tiles);
  assert.equal(tiles.size, size, 'the same tiles, wider');
  assert.equal(tiles.get(tile)?.tile.width, 5);
  const [narrow, wide] = await tiles.readTiles([tile, { ...tile, width: 5 }]);
  assert.equal(narrow?.length, 5 * 32, 'the stored version, whatever width was asked');
  assert.equal(wide?.length, 5 * 32);
  assert.equal(tiles.get({ level: 0, index: 1, width: 1 }), undefined);
});

test('nextEdge keeps what the next integration reads: written tiles first, then the previous edge', async () => {
  const all = new TileMap();
  const a = await integrate(all.readTiles, 0, entries(0, 200));
  all.apply(a.tiles);
  const writtenA = new TileMap();
  writtenA.apply(a.tiles);
  const edge1 = nextEdge(new TileMap(), writtenA, 200);
  const b = await integrate(edge1.readTiles, 200, entries(200, 230));
  all.apply(b.tiles);
  const written = new TileMap();
  written.apply(b.tiles);
  const edge2 = nextEdge(edge1, written, 230);
  for (const t of edgeTiles(230)) {
    const got = edge2.get(t);
    const want = all.get(t);
    assert.equal(got?.tile.width, want?.tile.width, `${t.level}/${t.index}`);
  }
  assert.equal(edge2.size, edgeTiles(230).length);
  assert.equal(edge2.get({ level: 0, index: 0, width: 230 })?.tile.width, 230, 'the newer version');
  // An integration on the edge alone gives the same root as on every tile.
  const fromEdge = await integrate(edge2.readTiles, 230, entries(230, 300));
  const fromAll = await integrate(all.readTiles, 230, entries(230, 300));
  assert.deepEqual(fromEdge.root, fromAll.root);
});
