// Checks src/log against ../shared/testdata/tlog-vectors.json, which an independent Go
// implementation (golang.org/x/mod/sumdb/tlog and sumdb/note) computed; see its "source" field.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { readSharedJson } from '../../test/shared.ts';
import { openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint.ts';
import { ED25519, ed25519Signer } from './ed25519.ts';
import { hashLeaf } from './hash.ts';
import { integrate } from './integrate.ts';
import { formatVerifierKey, parseVerifierKey, verifierFromKey } from './keys.ts';
import { rootFromLeafHashes, verifyConsistency, verifyInclusion } from './merkle.ts';
import { decodeBase64, encodeBase64 } from './note.ts';
import { proveConsistency, proveInclusion, treeRoot } from './proof.ts';
import {
  ENTRIES_LEVEL,
  encodeEntryBundle,
  parseEntryBundle,
  parseTilePath,
  type TileData,
  tilePath,
} from './tile.ts';
import { TileMap } from './tilemap.ts';

interface Vectors {
  source: string;
  leaf_hashes: Array<{ index: number; entry_hex: string; leaf_hash: string }>;
  roots: Array<{ tree_size: number; root: string }>;
  inclusion_proofs: Array<{ index: number; tree_size: number; proof: string[] }>;
  consistency_proofs: Array<{ old_size: number; new_size: number; proof: string[] }>;
  tile_paths: Array<{ level: number; index: number; width: number; path: string }>;
  tiles_size_1000: Array<{ path: string; bytes: number; sha256: string }>;
  tiles_size_70000: Array<{ path: string; bytes: number; sha256: string }>;
  signed_note: {
    ed25519_seed_hex: string;
    key_name: string;
    verifier_key: string;
    checkpoint: string;
  };
}

const v = readSharedJson<Vectors>('tlog-vectors.json');
const b64 = (s: string) => decodeBase64(s) as Uint8Array;

/** The vectors' entry i: byte j is (j·131 + i·7) mod 256, length (i·37) mod 301. */
function entry(i: number): Uint8Array {
  const e = new Uint8Array((i * 37) % 301);
  for (let j = 0; j < e.length; j++) e[j] = (j * 131 + i * 7) % 256;
  return e;
}
const entries = (n: number, from = 0) =>
  Array.from({ length: n - from }, (_, k) => entry(from + k));

/** A log of `size` entries, integrated in batches of the given sizes (cycled). */
async function buildLog(
  size: number,
  batches: number[],
): Promise<{ tiles: TileMap; root: Uint8Array; written: TileData[] }> {
  const tiles = new TileMap();
  const written: TileData[] = [];
  let n = 0;
  let root: Uint8Array = new Uint8Array();
  for (let b = 0; n < size; b++) {
    const k = Math.min(batches[b % batches.length] as number, size - n);
    const r = await integrate(tiles.readTiles, n, entries(n + k, n));
    tiles.apply(r.tiles);
    written.push(...r.tiles);
    n = r.treeSize;
    root = r.root;
  }
  return { tiles, root, written };
}

/**
 * `npm run mutation` sets TUIDANG_QUICK_VECTORS: every mutant this file reaches runs it again with
 * instrumented code, so there the roots above 1,000 leaves are checked one way (from the tiles of
 * the log built in mixed batches) instead of three. Every way is still checked at the small sizes.
 */
const quick = process.env.TUIDANG_QUICK_VECTORS === '1';
const QUICK_MAX = 1000;

const leaves = entries(quick ? QUICK_MAX : 70000).map(hashLeaf);
const big = await buildLog(70000, [3000, 1, 255, 256, 257, 4096]);

test('the vectors name their source', () => {
  assert.match(v.source, /golang\.org\/x\/mod\/sumdb\/tlog/);
});

test('leaf hashes', () => {
  for (const { index, entry_hex, leaf_hash } of v.leaf_hashes) {
    assert.deepEqual(Buffer.from(entry_hex, 'hex'), Buffer.from(entry(index)), `entry ${index}`);
    assert.equal(encodeBase64(hashLeaf(entry(index))), leaf_hash, `leaf ${index}`);
  }
});

describe('roots', () => {
  for (const { tree_size, root } of v.roots) {
    test(`size ${tree_size}`, async () => {
      assert.equal(
        encodeBase64(await treeRoot(big.tiles.readTiles, tree_size)),
        root,
        'from tiles',
      );
      if (quick && tree_size > QUICK_MAX) return;
      assert.equal(
        encodeBase64(rootFromLeafHashes(leaves.slice(0, tree_size))),
        root,
        'in-memory RFC 9162 MTH',
      );
      const direct = await integrate(new TileMap().readTiles, 0, entries(tree_size));
      assert.equal(encodeBase64(direct.root), root, 'integrate in one batch');
    });
  }
});

test('integrate in mixed batches gives the 70,000 root', () => {
  assert.equal(encodeBase64(big.root), v.roots.find((r) => r.tree_size === 70000)?.root);
});

test('inclusion proofs', async () => {
  for (const { index, tree_size, proof } of v.inclusion_proofs) {
    const got = await proveInclusion(big.tiles.readTiles, tree_size, index);
    assert.deepEqual(got.map(encodeBase64), proof, `index ${index} in ${tree_size}`);
    const root = b64(v.roots.find((r) => r.tree_size === tree_size)?.root ?? '');
    if (root.length > 0)
      verifyInclusion(index, tree_size, hashLeaf(entry(index)), proof.map(b64), root);
  }
});

test('consistency proofs', async () => {
  const rootOf = async (n: number) =>
    n <= leaves.length
      ? rootFromLeafHashes(leaves.slice(0, n))
      : await treeRoot(big.tiles.readTiles, n);
  for (const { old_size, new_size, proof } of v.consistency_proofs) {
    const got = await proveConsistency(big.tiles.readTiles, old_size, new_size);
    assert.deepEqual(got.map(encodeBase64), proof, `${old_size} → ${new_size}`);
    const [oldRoot, newRoot] = [await rootOf(old_size), await rootOf(new_size)];
    verifyConsistency(old_size, new_size, oldRoot, newRoot, proof.map(b64));
  }
});

test('tile paths', () => {
  for (const { level, index, width, path } of v.tile_paths) {
    assert.equal(tilePath({ level, index, width }), path);
    assert.deepEqual(parseTilePath(path), { level, index, width });
  }
});

/** The bytes of a tile at any width, cut from the latest (widest) stored version. */
function tileBytes(tiles: TileMap, path: string): Uint8Array {
  const tile = parseTilePath(path);
  const stored = tiles.get(tile);
  assert.ok(stored, `${path} is stored`);
  if (tile.level !== ENTRIES_LEVEL) return stored.data.subarray(0, tile.width * 32);
  return encodeEntryBundle(parseEntryBundle(stored.data).slice(0, tile.width));
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

for (const [size, list] of [
  [1000, v.tiles_size_1000],
  [70000, v.tiles_size_70000],
] as const) {
  test(`every tile and entry bundle of the ${size}-entry log`, async () => {
    const log = size === 70000 ? big : await buildLog(size, [1]);
    for (const { path, bytes, sha256 } of list) {
      const data = tileBytes(log.tiles, path);
      assert.equal(data.length, bytes, `${path} length`);
      assert.equal(sha(data), sha256, path);
    }
  });
}

test('integrating one entry at a time writes every tile the vectors list, with the same bytes', async () => {
  const log = await buildLog(1000, [1]);
  const written = new Map(log.written.map((t) => [tilePath(t.tile), t.data]));
  for (const { path, sha256 } of v.tiles_size_1000) {
    const data = written.get(path);
    assert.ok(data, `${path} was written`);
    assert.equal(sha(data), sha256, path);
  }
});

describe('signed checkpoint', () => {
  const { ed25519_seed_hex, key_name, verifier_key, checkpoint } = v.signed_note;
  const signer = ed25519Signer(key_name, Buffer.from(ed25519_seed_hex, 'hex'));

  test('signer reproduces the note byte for byte', () => {
    const text = checkpoint.slice(0, checkpoint.indexOf('\n\n') + 1);
    assert.equal(signCheckpoint(parseCheckpoint(text), signer), checkpoint);
  });

  test('verifier key', () => {
    const { name, type, key } = parseVerifierKey(verifier_key);
    assert.deepEqual([name, type], [key_name, ED25519]);
    assert.equal(formatVerifierKey(name, type, key), verifier_key);
    assert.equal(signer.keyId.toString(16).padStart(8, '0'), verifier_key.split('+')[1]);
  });

  test('opens with the verifier key and commits to the 70,000 root', () => {
    const c = openCheckpoint(checkpoint, [verifierFromKey(verifier_key)], key_name);
    assert.equal(c.treeSize, 70000);
    assert.equal(encodeBase64(c.root), encodeBase64(big.root));
  });
});
