// `tuidang serve --static`: a mirror directory served at the registry's /log/ paths, with the
// registry's cache headers; nothing but the tlog-tiles layout can be read from the directory.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { integrate, parseEntryBundle, TILE_WIDTH, TileMap, tilePath } from '../log/index.ts';
import { buildStaticApp } from './static.ts';

test('a mirror: checkpoint, full and partial tiles with their cache headers, 404 for the rest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-static-'));
  const tiles = new TileMap();
  const size = TILE_WIDTH + 3;
  const entries = Array.from({ length: size }, (_, i) => new TextEncoder().encode(`entry ${i}`));
  const r = await integrate(tiles.readTiles, 0, entries);
  for (const { tile, data } of r.tiles) {
    const path = join(dir, tilePath(tile));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
  }
  writeFileSync(join(dir, 'checkpoint'), 'mirror.example/log\n259\nroot\n\n— sig\n');
  // Secrets beside the mirror that no path may reach.
  writeFileSync(join(dir, 'log.key'), 'PRIVATE');
  const app = await buildStaticApp(dir);
  const get = (url: string) => app.inject({ method: 'GET', url });
  try {
    const checkpoint = await get('/log/checkpoint');
    assert.equal(checkpoint.statusCode, 200);
    assert.equal(checkpoint.headers['cache-control'], 'public, max-age=5');
    assert.match(checkpoint.body, /^mirror\.example\/log\n259\n/);

    const full = await get('/log/tile/entries/000');
    assert.equal(full.statusCode, 200);
    assert.equal(full.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(full.headers['content-type'], 'application/octet-stream');
    assert.equal(parseEntryBundle(full.rawPayload, TILE_WIDTH).length, TILE_WIDTH);

    const partial = await get('/log/tile/entries/001.p/3');
    assert.equal(partial.statusCode, 200);
    assert.equal(partial.headers['cache-control'], 'public, max-age=5');
    assert.deepEqual(
      parseEntryBundle(partial.rawPayload, 3).map((e) => new TextDecoder().decode(e)),
      ['entry 256', 'entry 257', 'entry 258'],
    );
    // A narrower version of a stored tile is cut from it, as the registry does.
    const narrower = await get('/log/tile/0/000.p/2');
    assert.equal(narrower.statusCode, 200);
    assert.equal(narrower.rawPayload.length, 2 * 32);
    const level0 = r.tiles.find((t) => t.tile.level === 0 && t.tile.index === 0)?.data;
    assert.deepEqual(new Uint8Array(narrower.rawPayload), level0?.subarray(0, 64));

    for (const [url, why] of [
      ['/log/tile/entries/002', 'tile/entries/002 is not in this mirror\n'],
      ['/log/tile/../log.key', undefined],
      ['/log/tile/entries/..%2f..%2flog.key', 'tile/entries/../../log.key is not a tile path.\n'],
      ['/log/log.key', 'that is not in this mirror\n'],
    ] as const) {
      const res = await get(url);
      assert.equal(res.statusCode, 404, url);
      assert.doesNotMatch(res.body, /PRIVATE/, url);
      if (why !== undefined) assert.equal(res.body, why, url);
    }
  } finally {
    await app.close();
  }
});
