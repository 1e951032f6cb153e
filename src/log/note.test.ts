import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint.ts';
import { ed25519PrivateKey, ed25519Signer, ed25519Verifier, rawPublicKey } from './ed25519.ts';
import { LogError } from './errors.ts';
import {
  generateKey,
  parseSignerKey,
  parseVerifierKey,
  signerFromKey,
  verifierFromKey,
} from './keys.ts';
import { formatSignature, MAX_SIGNATURES, openNote, parseNote, signNote } from './note.ts';

const seed = (n: number) => new Uint8Array(32).fill(n);
const publicKey = (n: number) => rawPublicKey(ed25519PrivateKey(seed(n)));
const log = ed25519Signer('example.org/log', seed(1));
const logVerifier = ed25519Verifier('example.org/log', publicKey(1));
const other = ed25519Signer('other.example/key', seed(2));
const root = new Uint8Array(32).fill(7);
const body = formatCheckpoint({ origin: 'example.org/log', treeSize: 42, root });
const signed = signNote(body, [log]);

const isLogError = (e: unknown) => e instanceof LogError;

describe('signed notes', () => {
  test('round trip: sign, parse, open', () => {
    const opened = openNote(signed, [logVerifier]);
    assert.equal(opened.text, body);
    assert.equal(opened.verified.length, 1);
    assert.equal(opened.unknown.length, 0);
  });

  test('signatures of unknown keys are ignored and kept; at least 16 are accepted', () => {
    const many = signNote(body, [
      log,
      ...Array.from({ length: 20 }, (_, i) => ed25519Signer(`w${i}.example/witness`, seed(10 + i))),
    ]);
    const opened = openNote(many, [logVerifier]);
    assert.equal(opened.verified.length, 1);
    assert.equal(opened.unknown.length, 20);
  });

  test('a known key name with another key ID is an unknown key', () => {
    const impostor = ed25519Signer('example.org/log', seed(9));
    const note = signNote(body, [impostor, log]);
    assert.equal(openNote(note, [logVerifier]).unknown.length, 1);
    assert.throws(() => openNote(signNote(body, [impostor]), [logVerifier]), {
      code: 'no-trusted-signature',
    });
  });

  test("a known key ID under another name is an unknown key: a line is its key's only by both", () => {
    // The log's own signature bytes, on a line that names another key with the log's key ID.
    const line = signed.slice(signed.indexOf('\u2014')).trimEnd();
    const renamed = line.replace('example.org/log', 'other.example/key');
    const opened = openNote(`${signed}${renamed}\n`, [logVerifier]);
    assert.deepEqual(
      opened.verified.map((s) => s.name),
      ['example.org/log'],
    );
    assert.deepEqual(
      opened.unknown.map((s) => s.name),
      ['other.example/key'],
    );
  });

  test('a bad signature from a known key rejects the whole note', () => {
    const tampered = signed.replace('\n42\n', '\n43\n');
    assert.throws(() => openNote(tampered, [logVerifier]), { code: 'bad-signature' });
    const forged = `${body}\n${formatSignature({ name: log.name, keyId: log.keyId, signature: new Uint8Array(64) })}`;
    assert.throws(() => openNote(forged, [logVerifier]), { code: 'bad-signature' });
  });

  test('no signature from a known key', () => {
    assert.throws(() => openNote(signNote(body, [other]), [logVerifier]), {
      code: 'no-trusted-signature',
    });
  });

  const sig = signed.slice(signed.indexOf('\u2014'));
  const malformed: Array<[string, string, string]> = [
    ['no blank line', body + sig, 'note has no blank line before its signatures'],
    ['no signature', `${body}\n`, 'note signatures must be lines ending in a newline'],
    [
      'signature without final newline',
      `${body}\n${sig.slice(0, -1)}`,
      'note signatures must be lines ending in a newline',
    ],
    [
      'hyphen instead of em dash',
      `${body}\n${sig.replace('\u2014', '-')}`,
      'signature line does not start with an em dash and a space',
    ],
    [
      'control character',
      `${body.replace('42', '4\t2')}\n${sig}`,
      'note contains a control character other than newline',
    ],
    [
      'unit separator (0x1f)',
      `${body.replace('42', '4\u001f2')}\n${sig}`,
      'note contains a control character other than newline',
    ],
    [
      'carriage return',
      `${body.replace('\n', '\r\n')}\n${sig}`,
      'note contains a control character other than newline',
    ],
    [
      'name with plus',
      `${body}\n${sig.replace('example.org/log', 'example.org+log')}`,
      'signature line has an invalid key name',
    ],
    [
      'empty name',
      `${body}\n${sig.replace('example.org/log', '')}`,
      'signature line has an invalid key name',
    ],
    [
      'no space before the signature',
      `${body}\n\u2014 example.org/log\n`,
      'signature line has an invalid key name',
    ],
    [
      'unpadded base64',
      `${body}\n${sig.replace(/=\n$/, '\n')}`,
      'signature of example.org/log is not base64 of a key ID and a signature',
    ],
    [
      'non-canonical base64',
      `${body}\n\u2014 k AAAAAAB=\n`,
      'signature of k is not base64 of a key ID and a signature',
    ],
    [
      'signature too short',
      `${body}\n\u2014 k AAAAAA==\n`,
      'signature of k is not base64 of a key ID and a signature',
    ],
    [
      `${MAX_SIGNATURES + 1} signatures`,
      `${body}\n${sig.repeat(MAX_SIGNATURES + 1)}`,
      `note has more than ${MAX_SIGNATURES} signatures`,
    ],
    ['a lone surrogate', `${body.replace('42', '4\ud8002')}\n${sig}`, 'note is not valid UTF-8'],
  ];
  for (const [what, note, message] of malformed) {
    test(`rejects: ${what}`, () => {
      assert.throws(() => openNote(note, [logVerifier]), { code: 'malformed-note', message });
    });
  }

  test('a blank line among signatures makes the first ones part of the text, which then fails', () => {
    assert.throws(() => openNote(`${body}\n${sig}\n${sig}`, [logVerifier]), {
      code: 'bad-signature',
      message: 'signature of example.org/log does not verify',
    });
  });

  test(`${MAX_SIGNATURES} signatures are accepted, and a signature of five bytes`, () => {
    const opened = openNote(`${body}\n${sig.repeat(MAX_SIGNATURES)}`, [logVerifier]);
    assert.equal(opened.verified.length, MAX_SIGNATURES);
    const tiny = parseNote(`${body}\n\u2014 k AAAAAAE=\n`);
    assert.deepEqual(
      tiny.signatures.map((x) => [x.name, x.keyId, [...x.signature]]),
      [['k', 0, [1]]],
    );
  });

  test('the key ID is the first four bytes of the signature line, big-endian', () => {
    const [parsed] = parseNote(signed).signatures;
    assert.equal(parsed?.keyId, log.keyId);
    assert.equal(parsed?.signature.length, 64);
    const line = formatSignature({ name: 'k', keyId: 0x01020304, signature: Uint8Array.of(9) });
    assert.equal(line, '\u2014 k AQIDBAk=\n');
    assert.equal(parseNote(`${body}\n${line}`).signatures[0]?.keyId, 0x01020304);
  });

  test('a name may hold any character but spaces, plus and control characters', () => {
    for (const name of ['ä.example/日志', 'a-b_c.d/e:f']) {
      const s = ed25519Signer(name, seed(3));
      const v = ed25519Verifier(name, publicKey(3));
      assert.equal(openNote(signNote(body, [s]), [v]).verified[0]?.name, name);
    }
    for (const name of [
      'a b',
      'a\u00a0b',
      'a\u2003b',
      'a\u0085b',
      'a\u200bb',
      'a\u180eb',
      'a+b',
      'a\u0001b',
    ])
      assert.throws(
        () => ed25519Signer(name, seed(3)),
        { code: 'malformed-key' },
        JSON.stringify(name),
      );
  });

  test('signNote refuses text a note cannot carry, and keeps the signatures it is given', () => {
    for (const text of [body.slice(0, -1), `${body}\u0007\n`, `${body}\ud800\n`])
      assert.throws(() => signNote(text, [log]), {
        code: 'malformed-note',
        message: 'note text must be UTF-8 ending in a newline, with no control characters',
      });
    const kept = parseNote(signNote(body, [other])).signatures;
    const both = parseNote(signNote(body, [log], kept)).signatures;
    assert.deepEqual(
      both.map((x) => x.name),
      ['example.org/log', 'other.example/key'],
    );
  });

  test('a known key whose signature fails names itself; with no known key, the known are named', () => {
    const tampered = signed.replace('\n42\n', '\n43\n');
    assert.throws(() => openNote(tampered, [logVerifier]), {
      message: 'signature of example.org/log does not verify',
    });
    const w = ed25519Verifier('w.example/w', publicKey(4));
    assert.throws(() => openNote(signNote(body, [other]), [logVerifier, w]), {
      message: 'note has no valid signature from a known key (example.org/log, w.example/w)',
    });
  });

  test('rejects invalid UTF-8 bytes', () => {
    const bytes = Buffer.concat([
      Buffer.from(body),
      Buffer.from([0xff]),
      Buffer.from(`\n\n${sig}`),
    ]);
    assert.throws(() => parseNote(bytes), {
      code: 'malformed-note',
      message: 'note is not valid UTF-8',
    });
    assert.equal(parseNote(new TextEncoder().encode(signed)).text, body);
  });
});

describe('checkpoints', () => {
  test('round trip', () => {
    const c = openCheckpoint(
      signCheckpoint({ origin: 'example.org/log', treeSize: 42, root }, log),
      [logVerifier],
      'example.org/log',
    );
    assert.equal(c.treeSize, 42);
    assert.deepEqual(Buffer.from(c.root), Buffer.from(root));
  });

  test('another origin is refused', () => {
    assert.throws(() => openCheckpoint(signed, [logVerifier], 'example.org/other'), {
      code: 'malformed-checkpoint',
    });
  });

  const r = Buffer.from(root).toString('base64');
  const bad: Array<[string, string]> = [
    ['two lines', `o\n1\n`],
    ['no final newline', `o\n1\n${r}`],
    ['empty origin', `\n1\n${r}\n`],
    ['leading zero', `o\n01\n${r}\n`],
    ['negative size', `o\n-1\n${r}\n`],
    ['size with plus', `o\n+1\n${r}\n`],
    ['size beyond 2^53', `o\n99999999999999999999\n${r}\n`],
    ['short root', `o\n1\n${r.slice(4)}\n`],
    ['root not base64', `o\n1\n${r.replace('B', '*')}\n`],
    ['empty extension line', `o\n1\n${r}\n\next\n`],
  ];
  for (const [what, text] of bad) {
    test(`rejects: ${what}`, () =>
      assert.throws(() => parseCheckpoint(text), { code: 'malformed-checkpoint' }));
  }

  test('extension lines and size 0 are accepted', () => {
    assert.deepEqual(parseCheckpoint(`o\n0\n${r}\nextra line\n`).extensions, ['extra line']);
  });
});

describe('keys', () => {
  test('generated keys sign and verify', () => {
    const { skey, vkey } = generateKey('example.org/log');
    const note = signNote(body, [signerFromKey(skey)]);
    assert.equal(openNote(note, [verifierFromKey(vkey)]).verified.length, 1);
    assert.equal(parseSignerKey(skey).name, 'example.org/log');
  });

  // A key whose ID has a hex letter, so that upper-casing it changes it (all digits: 1 in 43).
  let vkey = generateKey('example.org/log').vkey;
  while (!/[a-f]/.test(vkey.split('+')[1] as string)) vkey = generateKey('example.org/log').vkey;
  const badKeys: Array<[string, string]> = [
    ['empty', ''],
    ['two parts', 'name+01234567'],
    ['wrong key ID', vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+')],
    [
      'uppercase key ID',
      vkey.replace(/\+([0-9a-f]{8})\+/, (_, h: string) => `+${h.toUpperCase()}+`),
    ],
    ['short key', vkey.slice(0, -8)],
    ['unknown type', vkey.replace(/\+A/, '+Bw')],
  ];
  for (const [what, k] of badKeys) {
    test(`rejects verifier key: ${what}`, () =>
      assert.throws(() => parseVerifierKey(k), { code: 'malformed-key' }));
  }
});

describe('parsers throw nothing but LogError on hostile input', () => {
  const mutated = fc
    .tuple(fc.nat(signed.length), fc.nat(signed.length), fc.string({ maxLength: 8 }))
    .map(([a, b, s]) => signed.slice(0, Math.min(a, b)) + s + signed.slice(Math.max(a, b)));
  const inputs = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    mutated,
    fc.uint8Array().map((b) => Buffer.from(b).toString('latin1')),
  );

  test('checkpoint parser', () => {
    fc.assert(
      fc.property(inputs, (s) => {
        try {
          parseCheckpoint(s);
        } catch (e) {
          assert.ok(isLogError(e), String(e));
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('note and checkpoint opening', () => {
    fc.assert(
      fc.property(fc.oneof(inputs, fc.uint8Array()), (s) => {
        try {
          openCheckpoint(s, [logVerifier]);
        } catch (e) {
          assert.ok(isLogError(e), String(e));
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('key parsers', () => {
    fc.assert(
      fc.property(inputs, (s) => {
        for (const parse of [parseVerifierKey, parseSignerKey]) {
          try {
            parse(s);
          } catch (e) {
            assert.ok(isLogError(e), String(e));
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
