import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type Chunk, type Fingerprinted, identifyFile, lineChunks, type Skip } from './chunks.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const lines = (n: number, changed = -1) =>
  Array.from({ length: n }, (_, i) => `{"line":${i === changed ? 'changed' : i}}\n`).join('');

/** The text fed in reads of `size` bytes, as a stream would give it. */
async function* pieces(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function read(text: string, size: number, passed: Skip, per = 4): Promise<Chunk[]> {
  const out: Chunk[] = [];
  for await (const c of lineChunks(pieces(text, size), passed, per)) out.push(c);
  return out;
}

const name = 'standard input (test)';

test('each chunk carries the SHA-256 of the lines from the first to its last', async () => {
  const text = lines(10);
  for (const size of [1, 7, 64, text.length]) {
    const chunks = await read(text, size, { lines: 0, name });
    assert.deepEqual(
      chunks.map((c) => [c.firstLine, c.lines]),
      [
        [1, 4],
        [5, 4],
        [9, 2],
      ],
    );
    const ends = text.split('\n').map((_, i, all) => `${all.slice(0, i + 1).join('\n')}\n`);
    assert.deepEqual(
      chunks.map((c) => c.prefix),
      [sha256(ends[3] as string), sha256(ends[7] as string), sha256(text)],
      `reads of ${size} bytes`,
    );
  }
});

test('a last line without a line break has the fingerprint it has with one', async () => {
  const text = lines(6);
  const [withBreak, withoutBreak] = await Promise.all([
    read(text, 5, { lines: 0, name }),
    read(text.slice(0, -1), 5, { lines: 0, name }),
  ]);
  assert.equal(withoutBreak.at(-1)?.prefix, withBreak.at(-1)?.prefix);
  assert.equal(withoutBreak.at(-1)?.prefix, sha256(text));
});

test('lines passed over are checked against the fingerprint recorded for them', async () => {
  const first = await read(lines(8), 3, { lines: 0, name });
  const recorded = first[1] as Chunk; // lines 1 to 8
  assert.equal(recorded.firstLine + recorded.lines - 1, 8);
  const passed = { lines: 8, prefix: recorded.prefix, name };
  // The same input, grown: only the new lines come, and their fingerprints continue.
  for (const size of [1, 5, 1 << 20]) {
    const resumed = await read(lines(14), size, passed);
    assert.deepEqual(
      resumed.map((c) => [c.firstLine, c.lines]),
      [
        [9, 4],
        [13, 2],
      ],
    );
    assert.equal(resumed.at(-1)?.prefix, sha256(lines(14)));
  }
  // Resumed exactly at its end, the input (without its final line break) yields nothing.
  assert.deepEqual(await read(lines(8).slice(0, -1), 4, passed), []);
  // Another input under the same name: refused before any chunk, wherever the change is.
  for (const changed of [0, 3, 7])
    for (const size of [1, 6, 1 << 20])
      await assert.rejects(read(lines(14, changed), size, passed), {
        name: 'TuidangError',
        message: `${name} does not begin with the 8 lines imported under its name before, so nothing was imported: it is another input (give it another --source name), or the one imported then was changed since`,
      });
  // A line changed after those passed over is not their business.
  assert.equal((await read(lines(14, 8), 4, passed)).length, 2);
  await assert.rejects(read(lines(5), 2, passed), {
    message: `${name} has 5 lines, fewer than the 8 imported under its name before: it is not the input imported then (give another input another --source name)`,
  });
  // An import recorded without a fingerprint (CSV, or before fingerprints) is resumed unchecked.
  assert.equal((await read(lines(14, 2), 4, { lines: 8, name })).length, 2);
});

test('a file is known by its SHA-256, and continues the longest earlier import it begins with', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-identify-'));
  const file = join(dir, 'f.ndjson');
  // About 3 MiB, so that reads end inside lines and fingerprints are cut across reads.
  const text = lines(160_000);
  writeFileSync(file, text);
  const upTo = (n: number) => sha256(lines(n));
  const id = `sha256:${sha256(text)}`;
  const earlier = [
    { source: 'a', line: 10, prefix: upTo(10) },
    { source: 'b', line: 100_000, prefix: upTo(100_000) },
    { source: 'c', line: 150_000, prefix: upTo(150_001) }, // not this file's first lines
    { source: 'd', line: 100_000, prefix: upTo(99_999) },
    { source: 'e', line: 200_000, prefix: upTo(160_000) }, // longer than the file
  ];
  assert.deepEqual(await identifyFile(file, earlier), { id, continues: earlier[1] });
  assert.deepEqual(await identifyFile(file, earlier.slice(0, 4).reverse()), {
    id,
    continues: earlier[1],
  });
  // Two in one read.
  const eleven = { source: 'f', line: 11, prefix: upTo(11) };
  assert.deepEqual(await identifyFile(file, [eleven, earlier[0] as Fingerprinted]), {
    id,
    continues: eleven,
  });
  assert.deepEqual(await identifyFile(file, earlier.slice(2)), { id });
  assert.deepEqual(await identifyFile(file, []), { id });
  // Saved again without its last line break, a file still begins with all its lines.
  writeFileSync(file, text.slice(0, -1));
  const whole = { source: 'w', line: 160_000, prefix: upTo(160_000) };
  assert.deepEqual(await identifyFile(file, [earlier[0] as Fingerprinted, whole]), {
    id: `sha256:${sha256(text.slice(0, -1))}`,
    continues: whole,
  });
});
