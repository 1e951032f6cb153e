// Formatting a checkpoint refuses what no verifier could parse back, and parsing keeps exactly what
// was formatted (extension lines included).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint.ts';
import { LogError } from './errors.ts';
import { generateKey, signerFromKey, verifierFromKey } from './keys.ts';

const root = new Uint8Array(32).fill(3);
const rootB64 = Buffer.from(root).toString('base64');

const malformed = (message: RegExp) => (e: unknown) =>
  e instanceof LogError && e.code === 'malformed-checkpoint' && message.test(e.message);

test('a checkpoint is formatted as origin, size, root and extension lines, each ending in a newline', () => {
  assert.equal(
    formatCheckpoint({ origin: 'o.example/log', treeSize: 0, root }),
    `o.example/log\n0\n${rootB64}\n`,
  );
  const text = formatCheckpoint({ origin: 'o', treeSize: 7, root, extensions: ['a b', 'c'] });
  assert.equal(text, `o\n7\n${rootB64}\na b\nc\n`);
  assert.deepEqual(parseCheckpoint(text), {
    origin: 'o',
    treeSize: 7,
    root,
    extensions: ['a b', 'c'],
  });
  assert.equal('extensions' in parseCheckpoint(`o\n7\n${rootB64}\n`), false);
  assert.equal(
    parseCheckpoint(`o\n${Number.MAX_SAFE_INTEGER}\n${rootB64}\n`).treeSize,
    Number.MAX_SAFE_INTEGER,
  );
});

test('what cannot be parsed back is not formatted', () => {
  const bad = (c: Parameters<typeof formatCheckpoint>[0], message: RegExp) =>
    assert.throws(() => formatCheckpoint(c), malformed(message));
  bad({ origin: '', treeSize: 1, root }, /origin must be one non-empty line/);
  bad({ origin: 'a\nb', treeSize: 1, root }, /origin must be one non-empty line/);
  bad({ origin: 'o', treeSize: -1, root }, /bad tree size -1/);
  bad({ origin: 'o', treeSize: 1.5, root }, /bad tree size 1.5/);
  bad({ origin: 'o', treeSize: 2 ** 53, root }, /bad tree size/);
  bad({ origin: 'o', treeSize: 1, root: root.subarray(1) }, /root must be 32 bytes/);
  bad({ origin: 'o', treeSize: 1, root, extensions: [''] }, /extension lines must be non-empty/);
  bad({ origin: 'o', treeSize: 1, root, extensions: ['x\ny'] }, /single lines/);
});

test('parse errors say what is wrong', () => {
  const bad = (text: string, message: RegExp) =>
    assert.throws(() => parseCheckpoint(text), malformed(message));
  bad(`o\n1\n${rootB64}`, /must end in a newline/);
  bad(`o\n1\n`, /fewer than three lines/);
  bad(`\n1\n${rootB64}\n`, /empty origin/);
  bad(`o\n01\n${rootB64}\n`, /without leading zeros/);
  bad(`o\n-1\n${rootB64}\n`, /not a decimal number/);
  bad(`o\n1 \n${rootB64}\n`, /not a decimal number/);
  bad(`o\n${2 ** 53}\n${rootB64}\n`, /tree size is too large/);
  bad('o\n1\nnot base64\n', /not base64 of 32 bytes/);
  bad(`o\n1\n${Buffer.alloc(33).toString('base64')}\n`, /not base64 of 32 bytes/);
  bad(`o\n1\n${rootB64}\n\n`, /empty extension line/);
});

test('opening checks the signature, then the origin when one is given', () => {
  const key = generateKey('o.example/log');
  const signed = signCheckpoint(
    { origin: 'o.example/log', treeSize: 2, root },
    signerFromKey(key.skey),
  );
  const verifiers = [verifierFromKey(key.vkey)];
  const opened = openCheckpoint(signed, verifiers, 'o.example/log');
  assert.equal(opened.treeSize, 2);
  assert.equal(opened.note.verified.length, 1);
  assert.equal(openCheckpoint(new TextEncoder().encode(signed), verifiers).origin, 'o.example/log');
  assert.throws(
    () => openCheckpoint(signed, verifiers, 'o.example/other'),
    malformed(/checkpoint is for origin "o.example\/log", expected "o.example\/other"/),
  );
  assert.throws(() => openCheckpoint(signed, [verifierFromKey(generateKey('x').vkey)]), {
    code: 'no-trusted-signature',
  });
});
