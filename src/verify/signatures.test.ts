// The checkpoint's signatures: the log's own signature is required (a witness's cosignature alone
// is not enough), and the quorum counts distinct witnesses whose cosignatures verify.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  COSIGNATURE_V1,
  generateKey,
  signCheckpoint,
  signerFromKey,
  signNote,
  verifierFromKey,
} from '../log/index.ts';
import { checkSignatures, VerificationError } from './signatures.ts';

const origin = 'signatures.example/log';
const logKey = generateKey(origin);
const logKeys = [verifierFromKey(logKey.vkey)];
const logSigner = signerFromKey(logKey.skey);
const witnessKeys = ['w1.example', 'w2.example', 'w3.example'].map((n) =>
  generateKey(n, COSIGNATURE_V1),
);
const witnesses = witnessKeys.map((k) => verifierFromKey(k.vkey));
const cosigners = witnessKeys.map((k) => signerFromKey(k.skey));
const checkpoint = { origin, treeSize: 5, root: new Uint8Array(32).fill(7) };
const text = `${origin}\n5\n${Buffer.from(checkpoint.root).toString('base64')}\n`;

const fails = (f: () => unknown, message: RegExp) =>
  assert.throws(
    f,
    (e: unknown) =>
      e instanceof VerificationError &&
      e.name === 'VerificationError' &&
      e.code === 'verification-failed' &&
      e.files.length === 0 && // no file to read again: the checkpoint itself is at fault
      e.where === 'checkpoint' &&
      e.message.startsWith('checkpoint: ') &&
      message.test(e.message.slice('checkpoint: '.length)),
  );

test('a checkpoint signed by the log opens, with its tree head and no cosigners', () => {
  const opened = checkSignatures(signCheckpoint(checkpoint, logSigner), { logKeys });
  assert.equal(opened.checkpoint.origin, origin);
  assert.equal(opened.checkpoint.treeSize, 5);
  assert.deepEqual(opened.checkpoint.root, checkpoint.root);
  assert.deepEqual(opened.cosigners, []);
});

test('a checkpoint signed only by a witness is refused: the log’s own signature is required', () => {
  const byWitness = signNote(text, [cosigners[0] as (typeof cosigners)[number]]);
  // The note itself verifies with the witness's key…
  fails(() => checkSignatures(byWitness, { logKeys, witnesses }), /^not signed by the log key$/);
  // …even when no cosignature is required, and even with every witness signing.
  fails(
    () => checkSignatures(signNote(text, cosigners), { logKeys, witnesses, quorum: 0 }),
    /^not signed by the log key$/,
  );
});

test('a checkpoint signed by another log is refused', () => {
  const other = signerFromKey(generateKey(origin).skey); // same name, another key
  fails(
    () => checkSignatures(signCheckpoint(checkpoint, other), { logKeys, witnesses }),
    /^note has no valid signature from a known key/,
  );
});

test('a bad signature of a known key is refused with the log error’s message', () => {
  const signed = signCheckpoint(checkpoint, logSigner);
  const tampered = signed.replace('\n5\n', '\n6\n');
  fails(
    () => checkSignatures(tampered, { logKeys }),
    /^signature of signatures.example\/log does not verify$/,
  );
  fails(
    () => checkSignatures('not a note', { logKeys }),
    /^note has no blank line before its signatures$/,
  );
});

test('the quorum counts distinct witnesses whose cosignatures verify', () => {
  const two = signNote(text, [logSigner, ...cosigners.slice(0, 2)]);
  const opened = checkSignatures(two, { logKeys, witnesses, quorum: 2 });
  assert.deepEqual(opened.cosigners, ['w1.example', 'w2.example']);
  fails(
    () => checkSignatures(two, { logKeys, witnesses, quorum: 3 }),
    /^cosigned by 2 of the given witnesses, 3 required$/,
  );
  // A witness not in the given list is not counted.
  fails(
    () => checkSignatures(two, { logKeys, witnesses: witnesses.slice(1), quorum: 2 }),
    /^cosigned by 1 of the given witnesses, 2 required$/,
  );
  // The log's own signature is not a cosignature.
  const logOnly = signCheckpoint(checkpoint, logSigner);
  assert.deepEqual(checkSignatures(logOnly, { logKeys, witnesses }).cosigners, []);
  fails(
    () => checkSignatures(logOnly, { logKeys, witnesses, quorum: 1 }),
    /^cosigned by 0 of the given witnesses, 1 required$/,
  );
});

test('a witness that signs twice is counted once', () => {
  const w = cosigners[0] as (typeof cosigners)[number];
  const twice = signNote(text, [logSigner, w, w]);
  assert.deepEqual(checkSignatures(twice, { logKeys, witnesses, quorum: 1 }).cosigners, [
    'w1.example',
  ]);
  fails(
    () => checkSignatures(twice, { logKeys, witnesses, quorum: 2 }),
    /^cosigned by 1 of the given witnesses, 2 required$/,
  );
});

test('a verification error names where it failed and the files it rests on', () => {
  const cause = { reason: 'underlying' };
  const e = new VerificationError('tile 0/001', 'hash mismatch', {
    cause,
    files: ['tile/0/001'],
  });
  assert.equal(e.message, 'tile 0/001: hash mismatch');
  assert.equal(e.where, 'tile 0/001');
  assert.deepEqual(e.files, ['tile/0/001']);
  assert.equal(e.cause, cause);
  assert.deepEqual(new VerificationError('entry 3', 'bad').files, []);
});
