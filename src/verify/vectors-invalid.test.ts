// Every invalid vector (testdata/entry-vectors-invalid.json, one per rule of docs/log-format.md a
// verifier MUST enforce) is refused: by the decoder, by `tuidang verify`'s log check, by the
// single-file verifier (tuidang-verify.mjs, run as a user runs it), and, for a single entry, by
// the receipt check that the browser runs.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { runProgram } from '../../test/cli.ts';
import {
  encodeBase64,
  generateKey,
  integrate,
  signCheckpoint,
  signerFromKey,
  TileMap,
  tilePath,
  verifierFromKey,
} from '../log/index.ts';
import { dayOutsideWindow, decodeEntry, utcDay } from '../registry/index.ts';
import { bundleVerifier } from '../web/bundle.ts';
import { ReceiptError, verifyReceipt } from './receipt.ts';
import { DirSource, writeAtomically } from './source.ts';
import { VerificationError, verifyLog } from './verify.ts';

interface Vector {
  readonly name: string;
  readonly rule: string;
  readonly entries: readonly string[];
  readonly invalidAt: number;
}
const { vectors } = JSON.parse(
  readFileSync(new URL('../../testdata/entry-vectors-invalid.json', import.meta.url), 'utf8'),
) as { vectors: Vector[] };

const origin = 'vectors.example/log';
const key = generateKey(origin);
const logKeys = [verifierFromKey(key.vkey)];
const bytes = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex'));

/** The vector's entries as a signed log in a directory, and its checkpoint. */
async function logOf(v: Vector): Promise<{ dir: string; note: string }> {
  const dir = mkdtempSync(join(tmpdir(), `tuidang-vector-${v.name.replace(/\W/g, '')}-`));
  const r = await integrate(new TileMap().readTiles, 0, v.entries.map(bytes));
  for (const t of r.tiles) await writeAtomically(join(dir, tilePath(t.tile)), t.data);
  const note = signCheckpoint(
    { origin, treeSize: r.treeSize, root: r.root },
    signerFromKey(key.skey),
  );
  await writeAtomically(join(dir, 'checkpoint'), note);
  return { dir, note };
}

const logs = new Map<string, { dir: string; note: string }>();
let verifierFile: string;
before(async () => {
  for (const v of vectors) logs.set(v.name, await logOf(v));
  verifierFile = join(mkdtempSync(join(tmpdir(), 'tuidang-vectors-')), 'tuidang-verify.mjs');
  writeFileSync(verifierFile, (await bundleVerifier()).bytes);
});

test('a vector for every rule, each log valid up to its invalid entry', () => {
  assert.ok(vectors.length >= 20);
  for (const v of vectors) {
    for (const hex of v.entries.slice(0, v.invalidAt)) decodeEntry(bytes(hex));
    const bad = bytes(v.entries[v.invalidAt] as string);
    const refused = (() => {
      try {
        return dayOutsideWindow(decodeEntry(bad).day, utcDay(new Date())) !== undefined;
      } catch {
        return true;
      }
    })();
    // The void rules are rules of a log: their entry decodes, and the log is refused (below).
    assert.equal(refused, !v.name.startsWith('void-of') && v.name !== 'void-twice', v.name);
  }
});

test('`tuidang verify` refuses every invalid log at its invalid entry', async () => {
  for (const v of vectors) {
    const { dir } = logs.get(v.name) as { dir: string };
    await assert.rejects(verifyLog(new DirSource(dir), { logKeys }), (e: unknown) => {
      assert.ok(e instanceof VerificationError, `${v.name}: ${e}`);
      assert.equal(e.where, `entry ${v.invalidAt}`, `${v.name}: ${e.message}`);
      return true;
    });
  }
});

test('the single-file verifier refuses every invalid log, exit 1, naming the entry', async () => {
  const run = (dir: string) =>
    runProgram(process.execPath, [
      verifierFile,
      dir,
      '--vkey',
      key.vkey,
      '--no-remember',
      '--json',
    ]);
  // A few at a time: each is a Node.js process with a worker thread.
  const queue = [...vectors];
  await Promise.all(
    Array.from({ length: 3 }, async () => {
      for (let v = queue.shift(); v !== undefined; v = queue.shift()) {
        const { dir } = logs.get(v.name) as { dir: string };
        const res = await run(dir);
        assert.equal(res.code, 1, `${v.name}: ${res.stdout}`);
        assert.equal(JSON.parse(res.stdout).where, `entry ${v.invalidAt}`, v.name);
      }
    }),
  );
});

test("the browser's receipt check refuses a receipt for every invalid single entry", async () => {
  for (const v of vectors.filter((x) => x.entries.length === 1)) {
    const { note } = logs.get(v.name) as { note: string };
    const receipt = {
      index: 0,
      treeSize: 1,
      entry: encodeBase64(bytes(v.entries[0] as string)),
      salt: encodeBase64(new Uint8Array(32)),
      inclusionProof: [],
      checkpoint: note,
    };
    await assert.rejects(verifyReceipt(receipt, logKeys), (e: unknown) => {
      assert.ok(e instanceof ReceiptError, `${v.name}: ${e}`);
      assert.equal(e.problem, 'malformed', v.name);
      return true;
    });
  }
});
