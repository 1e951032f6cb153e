import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FingerprintedImport } from '../store/index.ts';
import { type Chunk, type ChunksEnd, lineChunks, type Skip } from './chunks.ts';
import { Fingerprint, identifyFile } from './fingerprint.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** The fingerprint of whole lines: their bytes without the last line break. */
const print = (text: string) => sha256(text.replace(/\r?\n$/, ''));
const lines = (n: number, changed = -1) =>
  Array.from({ length: n }, (_, i) => `{"line":${i === changed ? 'changed' : i}}\n`).join('');

/** The text fed in reads of `size` bytes, as a stream would give it. */
async function* pieces(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function readAll(
  text: string,
  size: number,
  passed: Skip,
  per = 4,
): Promise<{ chunks: Chunk[]; end: ChunksEnd }> {
  const chunks: Chunk[] = [];
  const it = lineChunks(pieces(text, size), passed, per);
  for (;;) {
    const next = await it.next();
    if (next.done) return { chunks, end: next.value };
    chunks.push(next.value);
  }
}
const read = async (text: string, size: number, passed: Skip, per = 4) =>
  (await readAll(text, size, passed, per)).chunks;

const name = 'standard input (test)';

test('the fingerprint: the bytes of whole lines without the last line break, however they come', () => {
  const texts = [lines(9), lines(9).replaceAll('\n', '\r\n'), 'a\r\n\r\nb\rc\n\n\r\r\nd\r\n'];
  for (const text of texts) {
    const bytes = Buffer.from(text);
    for (const size of [1, 2, 3, 5, bytes.length]) {
      const f = new Fingerprint();
      for (let at = 0; at < bytes.length; at += size) {
        const piece = bytes.subarray(at, at + size);
        f.add(piece, at + size >= bytes.length);
      }
      assert.equal(f.digest(), print(text), `${JSON.stringify(text)} in pieces of ${size}`);
    }
    // Read at every line's end, the lines so far.
    const f = new Fingerprint();
    let upTo = 0;
    for (const line of text.match(/[^\n]*\n/g) as string[]) {
      f.add(Buffer.from(line), true);
      upTo += line.length;
      assert.equal(f.digest(), print(text.slice(0, upTo)));
    }
  }
  // A lone CR at the very end is part of the last line.
  const f = new Fingerprint();
  f.add(Buffer.from('ab\r'), false);
  f.end();
  assert.equal(f.digest(), sha256('ab\r'));
});

test('each chunk carries the fingerprint of the lines from the first to its last', async () => {
  const text = lines(10);
  const ends = text.split('\n').map((_, i, all) => `${all.slice(0, i + 1).join('\n')}\n`);
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
    assert.deepEqual(
      chunks.map((c) => c.prefix),
      [print(ends[3] as string), print(ends[7] as string), print(text)],
      `reads of ${size} bytes`,
    );
  }
});

test('a last line without a line break has the fingerprint it has with one, LF or CRLF', async () => {
  for (const text of [lines(6), lines(6).replaceAll('\n', '\r\n')]) {
    const cut = text.replace(/\r?\n$/, '');
    const [withBreak, withoutBreak] = await Promise.all([
      read(text, 5, { lines: 0, name }),
      read(cut, 5, { lines: 0, name }),
    ]);
    assert.equal(withoutBreak.at(-1)?.prefix, withBreak.at(-1)?.prefix);
    assert.equal(withoutBreak.at(-1)?.prefix, sha256(cut));
  }
});

test('an input that ends inside a record stops before it, and names the line', async () => {
  const text = `${lines(5)}{"line":5,"na`;
  for (const size of [1, 9, 1 << 20]) {
    const { chunks, end } = await readAll(text, size, { lines: 0, name });
    assert.deepEqual(end, { lines: 5, cutOff: 6 });
    assert.equal(chunks.at(-1)?.prefix, print(lines(5)));
    assert.equal(Buffer.concat(chunks.map((c) => c.text)).toString(), lines(5));
  }
  // A whole record, or a blank, without a line break is a line.
  for (const last of ['{"line":5}', '  '])
    assert.deepEqual(await readAll(`${lines(5)}${last}`, 4, { lines: 0, name }), {
      chunks: await read(`${lines(5)}${last}`, 4, { lines: 0, name }),
      end: { lines: 6 },
    });
  assert.equal((await read(`${lines(5)}{"line":5}`, 4, { lines: 0, name })).at(-1)?.lines, 2);
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
    assert.equal(resumed.at(-1)?.prefix, print(lines(14)));
  }
  // Resumed exactly at its end, the input (without its final line break) yields nothing.
  assert.deepEqual(await read(lines(8).slice(0, -1), 4, passed), []);
  // Another input under the same name: refused before any chunk, wherever the change is.
  for (const changed of [0, 3, 7])
    for (const size of [1, 6, 1 << 20])
      await assert.rejects(read(lines(14, changed), size, passed), {
        name: 'TuidangError',
        message: `${name} does not begin with the 8 lines imported under its name before, so nothing was imported. If it is another input, give it a name of its own; if it is the same records written differently, importing it under another name would count them twice`,
      });
  // A line changed after those passed over is not their business.
  assert.equal((await read(lines(14, 8), 4, passed)).length, 2);
  await assert.rejects(read(lines(5), 2, passed), {
    message: `${name} has 5 lines, fewer than the 8 lines imported under its name before, so nothing was imported. If it was cut off, feed it again complete; if it is another input, give it a name of its own`,
  });
  await assert.rejects(read(`${lines(1)}{"li`, 2, passed), {
    message: /^standard input \(test\) has 1 line and part of one, fewer than the 8 lines/,
  });
  // An import recorded without a fingerprint (CSV, or before fingerprints) is resumed unchecked.
  assert.equal((await read(lines(14, 2), 4, { lines: 8, name })).length, 2);
});

test('a file is known by its SHA-256, and by the longest earlier import it begins with', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-identify-'));
  const file = join(dir, 'f.ndjson');
  // About 3 MiB, so that reads end inside lines and fingerprints are cut across reads.
  const text = lines(160_000);
  writeFileSync(file, text);
  const upTo = (n: number) => print(lines(n));
  const id = `sha256:${sha256(text)}`;
  const earlier = [
    { source: 'a', line: 10, prefix: upTo(10) },
    { source: 'b', line: 100_000, prefix: upTo(100_000) },
    { source: 'c', line: 150_000, prefix: upTo(150_001) }, // not this file's first lines
    { source: 'd', line: 100_000, prefix: upTo(99_999) },
    { source: 'e', line: 200_000, prefix: upTo(160_000) }, // longer than the file
  ];
  assert.deepEqual(await identifyFile(file, earlier), { id, begins: earlier[1] });
  assert.deepEqual(await identifyFile(file, earlier.slice(0, 4).reverse()), {
    id,
    begins: earlier[1],
  });
  // Two in one read.
  const eleven = { source: 'f', line: 11, prefix: upTo(11) };
  assert.deepEqual(await identifyFile(file, [eleven, earlier[0] as FingerprintedImport]), {
    id,
    begins: eleven,
  });
  assert.deepEqual(await identifyFile(file, earlier.slice(2)), { id });
  assert.deepEqual(await identifyFile(file, []), { id });
  // Saved again without its last line break, a file still begins with all its lines.
  writeFileSync(file, text.slice(0, -1));
  const whole = { source: 'w', line: 160_000, prefix: upTo(160_000) };
  assert.deepEqual(await identifyFile(file, [earlier[0] as FingerprintedImport, whole]), {
    id: `sha256:${sha256(text.slice(0, -1))}`,
    begins: whole,
  });
  // CRLF, a line's CR the last byte of the first read (1 MiB) and its LF the first of the next.
  const crlf = `${'x'.repeat(15)}\r\n${`${'y'.repeat(14)}\r\n`.repeat(70_000)}`;
  assert.equal(crlf.slice(1048575, 1048577), '\r\n');
  writeFileSync(file, crlf);
  const upToCrlf = (n: number) => sha256(crlf.slice(0, 17 + (n - 1) * 16 - 2));
  for (const line of [65_535, 65_536, 65_537]) {
    const at = { source: 's', line, prefix: upToCrlf(line) };
    assert.equal((await identifyFile(file, [at])).begins, at, `line ${line}`);
  }
});
