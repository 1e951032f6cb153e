// Key encodings and the Ed25519 point checks: each refusal is told apart by its message, so that a
// check removed or moved shows as a different answer, not just as another refusal.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  COSIGNATURE_V1,
  ED25519,
  ed25519PrivateKey,
  ed25519PublicKey,
  ed25519Sign,
  ed25519Signer,
  ed25519Verifier,
  ed25519Verify,
  encodingProblem,
  keyId,
  rawPublicKey,
} from './ed25519.ts';
import {
  formatSignerKey,
  formatVerifierKey,
  generateKey,
  parseSignerKey,
  parseVerifierKey,
  signerFromKey,
  verifierFromKey,
} from './keys.ts';
import { encodeBase64 } from './note.ts';

const NAME = 'example.org/log';
const seed = (n: number) => new Uint8Array(32).fill(n);
const text = new TextEncoder().encode('example.org/log\n7\nAAAA\n');

/** A little-endian 32-byte encoding of y, with the sign bit of x set if asked. */
function point(y: bigint, signBit = false): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((y >> BigInt(8 * i)) & 0xffn);
  if (signBit) out[31] = (out[31] as number) | 0x80;
  return out;
}
const P = (1n << 255n) - 19n;
const SMALL_ORDER: Array<[string, bigint]> = [
  ['y = 0', 0n],
  ['the identity (y = 1)', 1n],
  ['the point of order 2 (y = p − 1)', P - 1n],
  [
    'an order-8 point',
    BigInt('0x7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7'),
  ],
  [
    'the other order-8 point',
    BigInt('0x05fc536d880238b13933c6d305acdfd5f098eff289f4c345b027b2c28f95e826'),
  ],
];

/** A verifier key with a correct key ID for any 32 bytes, as a hostile party could write one. */
const verifierKeyFor = (raw: Uint8Array, type: 1 | 4 = ED25519) =>
  formatVerifierKey(NAME, type, raw);

describe('Ed25519 point encodings', () => {
  test('a public key made from a seed has no problem, whichever the sign of x', () => {
    const signs = new Set<number>();
    for (let n = 1; signs.size < 2; n++) {
      const raw = rawPublicKey(ed25519PrivateKey(seed(n)));
      signs.add((raw[31] as number) >> 7);
      assert.equal(encodingProblem(raw), undefined, `seed ${n}`);
    }
  });

  test('y ≥ p is not canonical, and p − 20 is a plain y', () => {
    for (const y of [P, P + 1n, (1n << 255n) - 1n])
      assert.equal(encodingProblem(point(y)), 'not canonically encoded', `y = ${y}`);
    assert.equal(encodingProblem(point(P, true)), 'not canonically encoded', 'with the sign bit');
    // p − 1 has small order; the y just below it is canonical (whether it is on the curve is
    // OpenSSL's to say when the key is made).
    assert.equal(encodingProblem(point(P - 2n)), undefined);
    assert.equal(encodingProblem(point(P - 2n, true)), undefined);
  });

  for (const [what, y] of SMALL_ORDER) {
    test(`${what} is a point of small order, with either sign bit`, () => {
      assert.equal(encodingProblem(point(y)), 'a point of small order');
      assert.equal(encodingProblem(point(y, true)), 'a point of small order');
    });
  }

  test('a verifier key on a point of small order is refused, with its key ID right', () => {
    for (const [what, y] of SMALL_ORDER) {
      assert.throws(
        () => parseVerifierKey(verifierKeyFor(point(y))),
        {
          code: 'malformed-key',
          message: 'the Ed25519 public key is a point of small order',
        },
        what,
      );
      assert.throws(
        () => parseVerifierKey(verifierKeyFor(point(y), COSIGNATURE_V1)),
        {
          message: /small order/,
        },
        `${what}, witness key`,
      );
    }
    assert.throws(() => parseVerifierKey(verifierKeyFor(point(P + 2n))), {
      message: 'the Ed25519 public key is not canonically encoded',
    });
  });

  test('ed25519PublicKey and ed25519PrivateKey want 32 bytes', () => {
    assert.throws(() => ed25519PublicKey(new Uint8Array(31)), {
      code: 'malformed-key',
      message: 'an Ed25519 public key is 32 bytes, not 31',
    });
    assert.throws(() => ed25519PrivateKey(new Uint8Array(33)), {
      code: 'malformed-key',
      message: 'an Ed25519 seed is 32 bytes, not 33',
    });
  });

  test('a signature verifies only at 64 bytes, with R well encoded', () => {
    const key = ed25519PrivateKey(seed(1));
    const pub = ed25519PublicKey(rawPublicKey(key));
    const sig = ed25519Sign(key, text);
    assert.equal(ed25519Verify(pub, text, sig), true);
    assert.equal(ed25519Verify(pub, text, Uint8Array.of(...sig, 0)), false, '65 bytes');
    assert.equal(ed25519Verify(pub, text, sig.subarray(0, 63)), false, '63 bytes');
    const smallR = Uint8Array.of(...point(1n), ...sig.subarray(32));
    assert.equal(ed25519Verify(pub, text, smallR), false, 'R of small order');
    const other = new TextEncoder().encode('example.org/log\n8\nAAAA\n');
    assert.equal(ed25519Verify(pub, other, sig), false, 'another message');
  });
});

describe('key texts', () => {
  const { skey, vkey } = generateKey(NAME);
  // Base64 has "+" of its own: the key is everything after the second one.
  const [, id = '', b64 = ''] = /^[^+]*\+([^+]*)\+(.*)$/.exec(vkey) ?? [];

  test('the key ID is the first four bytes of SHA-256(name ‖ 0x0A ‖ type ‖ key)', () => {
    const raw = rawPublicKey(ed25519PrivateKey(parseSignerKey(skey).key));
    assert.equal(keyId(NAME, ED25519, raw).toString(16).padStart(8, '0'), id);
    assert.notEqual(keyId(NAME, COSIGNATURE_V1, raw), keyId(NAME, ED25519, raw));
    assert.notEqual(keyId('example.org/other', ED25519, raw), keyId(NAME, ED25519, raw));
    assert.equal(vkey, `${NAME}+${id}+${b64}`);
    assert.equal(encodeBase64(Uint8Array.of(ED25519, ...raw)), b64);
  });

  const refusals: Array<[string, string, string]> = [
    ['no plus sign', 'example.org', 'expected <name>+<key ID>+<base64 key>'],
    ['no key', `${NAME}+${id}+`, 'expected <name>+<key ID>+<base64 key>'],
    ['an empty name', `+${id}+${b64}`, 'invalid key name'],
    ['a space in the name', `example org+${id}+${b64}`, 'invalid key name'],
    ['a short key ID', `${NAME}+${id.slice(1)}+${b64}`, 'key ID must be 8 lowercase hex digits'],
    ['an uppercase key ID', `${NAME}+ABCDEF01+${b64}`, 'key ID must be 8 lowercase hex digits'],
    ['a long key ID', `${NAME}+${id}0+${b64}`, 'key ID must be 8 lowercase hex digits'],
    [
      'bad base64',
      `${NAME}+${id}+${b64.slice(1)}`,
      'key must be base64 of a type byte and 32 key bytes',
    ],
    [
      '32 bytes with no type',
      `${NAME}+${id}+${encodeBase64(new Uint8Array(32).fill(7))}`,
      'key must be base64 of a type byte and 32 key bytes',
    ],
    [
      'type 0x02',
      `${NAME}+${id}+${encodeBase64(Uint8Array.of(2, ...new Uint8Array(32)))}`,
      'unsupported signature type 0x2',
    ],
    [
      'another key ID',
      `${NAME}+${id === '00000000' ? '00000001' : '00000000'}+${b64}`,
      'key ID does not match the key',
    ],
  ];
  for (const [what, key, why] of refusals) {
    test(`a verifier key with ${what} is refused: ${why}`, () =>
      assert.throws(() => parseVerifierKey(key), {
        code: 'malformed-key',
        message: `not a valid verifier key: ${why}`,
      }));
  }

  test('spaces and a newline around a key are ignored', () => {
    assert.deepEqual(parseVerifierKey(` ${vkey}\n`), parseVerifierKey(vkey));
    assert.equal(parseSignerKey(`${skey}\n`).name, NAME);
  });

  test('a signer key needs its prefix, and its key ID is of the public key', () => {
    assert.throws(() => parseSignerKey(skey.slice('PRIVATE+KEY+'.length)), {
      code: 'malformed-key',
      message: 'not a valid signer key: it must start with PRIVATE+KEY+',
    });
    const parsed = parseSignerKey(skey);
    assert.equal(formatSignerKey(parsed.name, parsed.type, parsed.key), skey);
    // The seed's own hash as key ID is refused: the ID is of the public key.
    const seedId = keyId(NAME, ED25519, parsed.key).toString(16).padStart(8, '0');
    const wrong = skey.replace(`${NAME}+${id}+`, `${NAME}+${seedId}+`);
    assert.notEqual(wrong, skey);
    assert.throws(() => parseSignerKey(wrong), {
      message: 'not a valid signer key: key ID does not match the key',
    });
  });

  test('a log key signs as 0x01, a witness key as a timestamped cosignature (0x04)', () => {
    const log = signerFromKey(skey);
    const logVerifier = verifierFromKey(vkey);
    assert.equal(logVerifier.verify(text, log.sign(text)), true);
    assert.equal(log.keyId, logVerifier.keyId);

    const w = generateKey('witness.example/w1', COSIGNATURE_V1);
    assert.equal(parseVerifierKey(w.vkey).type, COSIGNATURE_V1);
    const witness = signerFromKey(w.skey, () => 1700000000);
    const witnessVerifier = verifierFromKey(w.vkey);
    const cosig = witness.sign(text);
    assert.equal(cosig.length, 72, 'eight bytes of time and a signature');
    assert.equal(witnessVerifier.verify(text, cosig), true);
    assert.equal(witnessVerifier.keyId, witness.keyId);
    // The two kinds do not stand in for each other.
    assert.equal(logVerifier.verify(text, cosig), false);
    assert.equal(witnessVerifier.verify(text, log.sign(text)), false);
  });

  test('generateKey refuses a name a note cannot carry, and makes a new key each time', () => {
    assert.throws(() => generateKey('bad name'), {
      code: 'malformed-key',
      message: 'invalid key name "bad name": it must be non-empty, with no spaces or "+"',
    });
    assert.throws(() => generateKey('a+b'), { code: 'malformed-key' });
    // Nor do a signer or a verifier take one.
    for (const make of [
      () => ed25519Signer('a b', seed(1)),
      () => ed25519Verifier('', rawPublicKey(ed25519PrivateKey(seed(1)))),
    ])
      assert.throws(make, { code: 'malformed-key', message: /^invalid key name / });
    assert.notEqual(generateKey(NAME).vkey, vkey);
  });
});

test('a key ID below 0x10000000 is written with its leading zeros, and read back', () => {
  let n = 1;
  let raw = rawPublicKey(ed25519PrivateKey(seed(n)));
  while (keyId(NAME, ED25519, raw) >= 0x10000000) raw = rawPublicKey(ed25519PrivateKey(seed(++n)));
  const vkey = formatVerifierKey(NAME, ED25519, raw);
  assert.match(vkey, /^example\.org\/log\+0[0-9a-f]{7}\+/);
  assert.deepEqual([...parseVerifierKey(vkey).key], [...raw]);
  const skey = formatSignerKey(NAME, ED25519, seed(n));
  assert.match(skey, /^PRIVATE\+KEY\+example\.org\/log\+0[0-9a-f]{7}\+/);
  assert.equal(parseSignerKey(skey).name, NAME);
});

test('errors of the log are LogErrors by name', () => {
  try {
    parseVerifierKey('');
    assert.fail('refused');
  } catch (e) {
    assert.equal((e as Error).name, 'LogError');
  }
});
