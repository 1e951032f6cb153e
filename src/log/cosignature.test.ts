import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCheckpoint, openCheckpoint, signCheckpoint } from './checkpoint.ts';
import {
  cosignatureTime,
  cosignatureVerifier,
  cosignedMessage,
  newCosigner,
  parseCosignature,
} from './cosignature.ts';
import {
  COSIGNATURE_V1,
  ed25519PrivateKey,
  ed25519Signer,
  ed25519Verifier,
  ed25519Verify,
  keyId,
  rawPublicKey,
} from './ed25519.ts';
import { formatVerifierKey, generateKey, signerFromKey, verifierFromKey } from './keys.ts';
import { formatNote, parseNote } from './note.ts';

const seed = (n: number) => new Uint8Array(32).fill(n);
const log = ed25519Signer('example.org/log', seed(1));
const logVerifier = ed25519Verifier('example.org/log', rawPublicKey(ed25519PrivateKey(seed(1))));
const checkpoint = { origin: 'example.org/log', treeSize: 9, root: new Uint8Array(32).fill(3) };
const witnessKey = rawPublicKey(ed25519PrivateKey(seed(5)));
const witness = newCosigner('witness.example/w1', seed(5), () => 1679315147);

/** A log-signed checkpoint with the witness's cosignature added, as a log publishes it. */
function cosigned(): string {
  const note = parseNote(signCheckpoint(checkpoint, log));
  const sig = witness.sign(new TextEncoder().encode(note.text));
  return formatNote({
    text: note.text,
    signatures: [...note.signatures, { name: witness.name, keyId: witness.keyId, signature: sig }],
  });
}

test('the signed message is the spec header, time line and checkpoint text', () => {
  const text = new TextEncoder().encode(formatCheckpoint(checkpoint));
  const msg = new TextDecoder().decode(cosignedMessage(1679315147, text));
  assert.equal(
    msg,
    `cosignature/v1\ntime 1679315147\nexample.org/log\n9\n${Buffer.from(checkpoint.root).toString('base64')}\n`,
  );
});

test('a cosignature is timestamp ‖ Ed25519 signature over that message, under key ID type 0x04', () => {
  const text = new TextEncoder().encode(formatCheckpoint(checkpoint));
  const sig = witness.sign(text);
  assert.equal(sig.length, 72);
  assert.equal(new DataView(sig.buffer).getBigUint64(0), 1679315147n);
  const key = ed25519PrivateKey(seed(5));
  assert.ok(ed25519Verify(key, cosignedMessage(1679315147, text), sig.subarray(8)));
  assert.equal(witness.keyId, keyId('witness.example/w1', COSIGNATURE_V1, witnessKey));
});

test('log key and witness key both verify the cosigned checkpoint', () => {
  const w = cosignatureVerifier('witness.example/w1', witnessKey);
  const opened = openCheckpoint(cosigned(), [logVerifier, w]);
  assert.equal(opened.note.verified.length, 2);
  const cosig = opened.note.verified.find((s) => s.name === 'witness.example/w1');
  assert.ok(cosig);
  assert.equal(cosignatureTime(cosig), 1679315147);
});

test('a cosignature whose timestamp was altered does not verify', () => {
  const note = parseNote(cosigned());
  const sig = note.signatures[1];
  assert.ok(sig);
  const altered = Uint8Array.from(sig.signature);
  altered[7] = (altered[7] as number) ^ 1;
  const w = cosignatureVerifier('witness.example/w1', witnessKey);
  const text = new TextEncoder().encode(note.text);
  assert.equal(w.verify(text, sig.signature), true);
  assert.equal(w.verify(text, altered), false);
  assert.equal(w.verify(text, sig.signature.subarray(1)), false);
});

test('timestamps above 2^63-1 are refused', () => {
  const w = cosignatureVerifier('witness.example/w1', witnessKey);
  const sig = new Uint8Array(72).fill(0xff);
  assert.equal(w.verify(new Uint8Array(), sig), false);
});

test('witness keys encode as vkeys of type 0x04 and round-trip through the key parser', () => {
  const vkey = formatVerifierKey('witness.example/w1', COSIGNATURE_V1, witnessKey);
  assert.equal(Buffer.from(vkey.split('+').slice(2).join('+'), 'base64')[0], 4);
  const opened = openCheckpoint(cosigned(), [verifierFromKey(vkey)]);
  assert.equal(opened.note.verified[0]?.name, 'witness.example/w1');
  const { skey, vkey: v2 } = generateKey('witness.example/w2', COSIGNATURE_V1);
  const signer = signerFromKey(skey, () => 1700000000);
  assert.equal(verifierFromKey(v2).keyId, signer.keyId);
});

test('parseCosignature: 72 bytes, and a time JavaScript can hold', () => {
  const sig = new Uint8Array(72);
  assert.deepEqual(parseCosignature(sig).timestamp, 0);
  for (const n of [71, 73, 64])
    assert.throws(() => parseCosignature(new Uint8Array(n)), {
      code: 'malformed-note',
      message: `a cosignature/v1 is 72 bytes, not ${n}`,
    });
  const at = (t: bigint) => {
    const b = new Uint8Array(72);
    new DataView(b.buffer).setBigUint64(0, t);
    b[8] = 0xaa;
    return b;
  };
  const max = parseCosignature(at(BigInt(Number.MAX_SAFE_INTEGER)));
  assert.equal(max.timestamp, Number.MAX_SAFE_INTEGER);
  assert.deepEqual([max.signature.length, max.signature[0]], [64, 0xaa]);
  for (const t of [BigInt(Number.MAX_SAFE_INTEGER) + 1n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n])
    assert.throws(() => parseCosignature(at(t)), {
      code: 'malformed-note',
      message: 'cosignature timestamp is out of range',
    });
  // A view into a larger buffer is read at its own offset.
  const padded = new Uint8Array(80);
  padded.set(at(1700000000n), 8);
  assert.equal(parseCosignature(padded.subarray(8)).timestamp, 1700000000);
});

test('a cosigner without a clock signs at the time now, in seconds', () => {
  const before = Math.floor(Date.now() / 1000);
  const sig = newCosigner('witness.example/w1', seed(5)).sign(new Uint8Array(0));
  const t = Number(new DataView(sig.buffer).getBigUint64(0));
  assert.ok(t >= before && t <= Math.floor(Date.now() / 1000), `${t}`);
});
