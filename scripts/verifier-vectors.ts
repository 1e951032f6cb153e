// Writes testdata/verifier-vectors.json: Ed25519 signatures and signed checkpoints at the edges of
// the signature rule (docs/log-format.md §Signatures), each with the verdict every verifier of this
// project must give: `tuidang verify` (node:crypto, OpenSSL) and the browser's receipt check
// (src/web/client/crypto-shim.ts, over @noble/curves). src/web/verifiers-agree.test.ts runs them
// through both. The edge cases are built here from a fixed seed with noble's point arithmetic, and
// checked against node:crypto's own verdict as they are written: a vector whose verdict OpenSSL
// does not give is a mistake here, and the script fails.
// Run: node scripts/verifier-vectors.ts > testdata/verifier-vectors.json
import { verify as opensslVerify } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { ed25519PublicKey } from '../src/log/ed25519.ts';
import {
  ED25519,
  encodeBase64,
  formatCheckpoint,
  formatVerifierKey,
  keyId,
} from '../src/log/index.ts';

const { Point } = ed25519;
const L = Point.Fn.ORDER;
const P = (1n << 255n) - 19n;
const enc = new TextEncoder();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const le = (b: Uint8Array) => BigInt(`0x${hex(Uint8Array.from(b).reverse()) || '0'}`);
const le32 = (n: bigint) =>
  Uint8Array.from(Buffer.from(n.toString(16).padStart(64, '0'), 'hex').reverse());
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const mod = (n: bigint) => ((n % L) + L) % L;

const seed = new Uint8Array(32).map((_, i) => 0xa0 + i);
const { scalar: a, pointBytes: A } = ed25519.utils.getExtendedPublicKey(seed);
const nonce = 0x1234_5678_9abc_def0_1234_5678n; // r for the hand-made signatures
const T8 = Point.fromBytes(
  Buffer.from('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', 'hex'),
);

/** k = SHA-512(R ‖ A ‖ M) mod L. */
const challenge = (r: Uint8Array, pk: Uint8Array, m: Uint8Array) => mod(le(sha512(cat(r, pk, m))));
const sig = (r: Uint8Array, s: bigint) => cat(r, le32(s));
/** Variants of `base` (a checkpoint text) until `ok` holds for the challenge: `k ≡ 0 (mod 8)`. */
function messageWhere(base: string, ok: (m: Uint8Array) => boolean): Uint8Array {
  for (let i = 0; ; i++) {
    const m = enc.encode(`${base}extension ${i}\n`);
    if (ok(m)) return m;
  }
}

type Verdict = 'valid' | 'invalid' | 'key-refused';
const signatures: Array<{
  name: string;
  why: string;
  publicKey: string;
  message: string;
  signature: string;
  verdict: Verdict;
}> = [];

function add(
  name: string,
  why: string,
  pk: Uint8Array,
  m: Uint8Array,
  s: Uint8Array,
  verdict: Verdict,
  openssl: boolean,
) {
  // What OpenSSL alone says (the key taken as it is), and whether src/log refuses the key.
  const spki = cat(Buffer.from('302a300506032b6570032100', 'hex'), pk);
  let alone: boolean;
  try {
    alone = opensslVerify(null, m, { key: Buffer.from(spki), format: 'der', type: 'spki' }, s);
  } catch {
    alone = false;
  }
  if (alone !== openssl) throw new Error(`${name}: OpenSSL says ${alone}, expected ${openssl}`);
  let refused = false;
  try {
    ed25519PublicKey(pk);
  } catch {
    refused = true;
  }
  if (refused !== (verdict === 'key-refused')) throw new Error(`${name}: key refused: ${refused}`);
  if (!refused && (verdict === 'valid') !== openssl)
    throw new Error(`${name}: not OpenSSL's verdict`);
  signatures.push({
    name,
    why,
    publicKey: hex(pk),
    message: hex(m),
    signature: hex(s),
    verdict,
  });
}

const text = formatCheckpoint({
  origin: 'vectors.example/log',
  treeSize: 7,
  root: new Uint8Array(32).fill(7),
});
const M = enc.encode(text);
const honest = ed25519.sign(M, seed);
const S = le(honest.subarray(32));
const R = honest.subarray(0, 32);
const rB = Point.BASE.multiply(nonce);

add('honest', 'a signature made by RFC 8032 signing', A, M, honest, 'valid', true);
add(
  'other-message',
  'the honest signature over a message one byte longer',
  A,
  cat(M, enc.encode('\n')),
  honest,
  'invalid',
  false,
);
add(
  's-plus-l',
  'non-canonical S: S + L, the same scalar mod L',
  A,
  M,
  sig(R, S + L),
  'invalid',
  false,
);
add(
  's-top-bit',
  'non-canonical S: S + 2^255 (its top bit set)',
  A,
  M,
  sig(R, S + (1n << 255n)),
  'invalid',
  false,
);
add('s-equals-l', 'S = L', A, M, sig(R, L), 'invalid', false);
{
  // R the identity, canonically encoded: [S]B − [k]A = R holds exactly with S = k·a.
  const id = Point.ZERO.toBytes();
  add(
    'r-identity',
    'R the identity (a point of small order), canonically encoded, S = k·a: the exact equation holds, R is refused',
    A,
    M,
    sig(id, mod(challenge(id, A, M) * a)),
    'invalid',
    false,
  );
  // The identity as y = p + 1: ZIP-215 decodes it as the identity and accepts.
  const idNc = le32(P + 1n);
  add(
    'r-identity-non-canonical-y',
    'R the identity encoded with y = p + 1 (non-canonical), S = k·a: ZIP-215 accepts it',
    A,
    M,
    sig(idNc, mod(challenge(idNc, A, M) * a)),
    'invalid',
    false,
  );
  const idSign = Uint8Array.from(id);
  idSign[31] = (idSign[31] as number) | 0x80;
  add(
    'r-identity-x-sign',
    'R the identity with the sign bit of x set (x = 0: non-canonical), S = k·a',
    A,
    M,
    sig(idSign, mod(challenge(idSign, A, M) * a)),
    'invalid',
    false,
  );
  const t8 = T8.toBytes();
  add(
    'r-order-8',
    'R a point of order 8, S = k·a: only the cofactored equation ([8]…) holds',
    A,
    M,
    sig(t8, mod(challenge(t8, A, M) * a)),
    'invalid',
    false,
  );
  const mixed = rB.add(T8).toBytes();
  add(
    'r-mixed-order',
    'R = [r]B + T (T of order 8), S = r + k·a: only the cofactored equation holds',
    A,
    M,
    sig(mixed, mod(nonce + challenge(mixed, A, M) * a)),
    'invalid',
    false,
  );
  const offCurve = le32(2n); // y = 2 is not the y of any point
  add(
    'r-not-a-point',
    'R that decodes to no point (y = 2)',
    A,
    M,
    sig(offCurve, S),
    'invalid',
    false,
  );
}
{
  // Public keys of small order: [r]B, r satisfies the exact equation under them for every message
  // whose k kills the key (any k for the identity, k ≡ 0 mod 8 for order 8). Refused.
  const rb = rB.toBytes();
  const forged = () => sig(rb, nonce);
  const id = Point.ZERO.toBytes();
  add(
    'a-identity',
    'A the identity, R = [r]B, S = r: the exact equation holds for any message',
    id,
    M,
    forged(),
    'key-refused',
    false,
  );
  const t8 = T8.toBytes();
  const m8 = messageWhere(text, (m) => challenge(rb, t8, m) % 8n === 0n);
  add(
    'a-order-8',
    'A of order 8, R = [r]B, S = r, a message with k ≡ 0 (mod 8): the exact equation holds',
    t8,
    m8,
    forged(),
    'key-refused',
    false,
  );
  const idNc = le32(P + 1n);
  add(
    'a-identity-non-canonical-y',
    'A the identity encoded with y = p + 1 (non-canonical), R = [r]B, S = r',
    idNc,
    M,
    forged(),
    'key-refused',
    false,
  );
  const four = Point.ZERO.subtract(T8.multiplyUnsafe(2n)).toBytes();
  add(
    'a-order-4',
    'A of order 4 (y = 0), an honest-looking signature',
    four,
    M,
    honest,
    'key-refused',
    false,
  );
  const two = T8.multiplyUnsafe(4n).toBytes();
  const m2 = messageWhere(text, (m) => challenge(rb, two, m) % 2n === 0n);
  add(
    'a-order-2',
    'A of order 2 (y = p − 1), R = [r]B, S = r, a message with k even: the exact equation holds',
    two,
    m2,
    forged(),
    'key-refused',
    false,
  );
  // A non-canonical encoding of a point that is not of small order: y + p for a small y.
  let y = 2n;
  for (; ; y++) {
    try {
      Point.fromBytes(le32(y));
      break;
    } catch {}
  }
  add(
    'a-non-canonical-y',
    `A encoded with y = p + ${y} (non-canonical; the point is not of small order)`,
    le32(P + y),
    M,
    honest,
    'key-refused',
    false,
  );
}
{
  // A mixed-order key A' = A + T: the exact (cofactorless) equation holds only when k·T = 0.
  const mixedA = Point.fromBytes(A).add(T8).toBytes();
  const rb = rB.toBytes();
  const sigFor = (m: Uint8Array) => sig(rb, mod(nonce + challenge(rb, mixedA, m) * a));
  const m0 = messageWhere(text, (m) => challenge(rb, mixedA, m) % 8n === 0n);
  add(
    'a-mixed-order-k0',
    "A' = A + T (T of order 8), S = r + k·a with k ≡ 0 (mod 8): the exact equation holds",
    mixedA,
    m0,
    sigFor(m0),
    'valid',
    true,
  );
  const m1 = messageWhere(text, (m) => challenge(rb, mixedA, m) % 8n !== 0n);
  add(
    'a-mixed-order-k1',
    "A' = A + T, S = r + k·a with k ≢ 0 (mod 8): only the cofactored equation holds",
    mixedA,
    m1,
    sigFor(m1),
    'invalid',
    false,
  );
}
{
  const negA = Uint8Array.from(A);
  negA[31] = (negA[31] as number) ^ 0x80;
  add('a-negated', "A with x's sign flipped (−A, another key)", negA, M, honest, 'invalid', false);
  add('a-not-a-point', 'A that decodes to no point (y = 2)', le32(2n), M, honest, 'invalid', false);
  add('short', 'a signature of 63 bytes', A, M, honest.subarray(0, 63), 'invalid', false);
  add('long', 'a signature of 65 bytes', A, M, cat(honest, new Uint8Array(1)), 'invalid', false);
  add('zero', '64 zero bytes', A, M, new Uint8Array(64), 'invalid', false);
}

// Signed checkpoints (c2sp.org/signed-note, c2sp.org/tlog-checkpoint), opened with the log's key.
const KEY_NAME = 'vectors.example/log';
const vkey = formatVerifierKey(KEY_NAME, ED25519, A);
const id = keyId(KEY_NAME, ED25519, A);
const line = (s: Uint8Array, name = KEY_NAME, kid = id) => {
  const b = new Uint8Array(4 + s.length);
  new DataView(b.buffer).setUint32(0, kid);
  b.set(s, 4);
  return `\u2014 ${name} ${encodeBase64(b)}\n`;
};
const signText = (t: string) => ed25519.sign(enc.encode(t), seed);
const note = (t: string, ...lines: string[]) => `${t}\n${lines.join('')}`;
const checkpoints: Array<{ name: string; why: string; note: string; valid: boolean }> = [];
const cp = (name: string, why: string, n: string, valid: boolean) =>
  checkpoints.push({ name, why, note: n, valid });

const good = line(signText(text));
cp('signed', "a checkpoint signed by the log's key", note(text, good), true);
const withExt = `${text}some extension\n`;
cp(
  'extension-line',
  'a signed checkpoint with an extension line after the root (tlog-checkpoint allows them)',
  note(withExt, line(signText(withExt))),
  true,
);
cp(
  'extra-line-after-signing',
  'a line added to the text after it was signed',
  note(withExt, good),
  false,
);
cp(
  'wrong-key-id',
  'the right signature under another key ID',
  note(text, line(signText(text), KEY_NAME, id ^ 1)),
  false,
);
cp(
  'wrong-key-name',
  'the right signature under another key name',
  note(text, line(signText(text), 'other.example/log')),
  false,
);
cp(
  'unknown-key-beside',
  "the log's signature and one by a key not given: the unknown one is ignored",
  note(text, line(new Uint8Array(64).fill(9), 'other.example/log', 42), good),
  true,
);
cp(
  'bad-second-signature',
  "the log's signature, then a second one by the same key that does not verify",
  note(text, good, line(new Uint8Array(64).fill(9))),
  false,
);
const b64 = good.slice(good.lastIndexOf(' ') + 1, -1);
cp(
  'base64-unpadded',
  'the signature line without its base64 padding',
  note(text, good.replace(b64, b64.replace(/=+$/, ''))),
  false,
);
cp(
  'base64-url-alphabet',
  "the signature in base64url ('-' and '_')",
  note(text, good.replace(b64, `${b64.slice(0, -3)}-_=`)),
  false,
);
{
  // 68 bytes in base64 end "xx==": the second x must carry no bits past the data.
  const last = b64.at(-3) as string;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const bits = alphabet[alphabet.indexOf(last) | 1] as string;
  cp(
    'base64-non-canonical',
    'the signature in base64 whose last character carries bits past the data',
    note(text, good.replace(b64, `${b64.slice(0, -3)}${bits}==`)),
    false,
  );
}
cp(
  'base64-space',
  'a space inside the base64',
  note(text, good.replace(b64, `${b64.slice(0, 8)} ${b64.slice(8)}`)),
  false,
);
{
  const h = signText(text);
  const s = le(h.subarray(32));
  cp(
    's-plus-l',
    'the signature with S + L',
    note(text, line(sig(h.subarray(0, 32), s + L))),
    false,
  );
  const idR = Point.ZERO.toBytes();
  const k = challenge(idR, A, M);
  cp(
    'r-identity',
    'R the identity, S = k·a: the exact equation holds, R is refused',
    note(text, line(sig(idR, mod(k * a)))),
    false,
  );
  const t8 = T8.toBytes();
  cp(
    'r-order-8',
    'R of order 8, S = k·a (cofactored only)',
    note(text, line(sig(t8, mod(challenge(t8, A, M) * a)))),
    false,
  );
}
cp('no-blank-line', 'no blank line between text and signatures', `${text}${good}`, false);
cp('crlf', 'CRLF line ends', note(text, good).replaceAll('\n', '\r\n'), false);
cp(
  'no-final-newline',
  'the signature line without its newline',
  note(text, good).slice(0, -1),
  false,
);
const zeroSize = text.replace('\n7\n', '\n07\n');
cp(
  'tree-size-leading-zero',
  'a tree size with a leading zero, signed',
  note(zeroSize, line(signText(zeroSize))),
  false,
);
const shortRoot = `vectors.example/log\n7\n${encodeBase64(new Uint8Array(31))}\n`;
cp(
  'root-31-bytes',
  'a root hash of 31 bytes, signed',
  note(shortRoot, line(signText(shortRoot))),
  false,
);
const twoLines = 'vectors.example/log\n7\n';
cp(
  'two-lines',
  'a checkpoint of two lines, signed',
  note(twoLines, line(signText(twoLines))),
  false,
);
cp(
  'short-signature',
  'a signature of 63 bytes',
  note(text, line(signText(text).subarray(0, 63))),
  false,
);
cp('unsigned', 'no signature line at all', `${text}\n`, false);

console.log(
  JSON.stringify(
    {
      about:
        'Ed25519 signatures and signed checkpoints at the edges of the signature rule of docs/log-format.md §Signatures, with the verdict every tuidang verifier (the CLI with node:crypto, the browser with @noble/curves) must give. Written by scripts/verifier-vectors.ts; checked by src/web/verifiers-agree.test.ts.',
      signatures: {
        how: 'ed25519Verifier(publicKey).verify(message, signature) of src/log: "key-refused" when the public key is refused before any signature is checked',
        vectors: signatures,
      },
      checkpoints: {
        how: 'checkSignatures(note, { logKeys: [verifierFromKey(vkey)] }) of src/verify/signatures.ts',
        vkey,
        vectors: checkpoints,
      },
    },
    null,
    2,
  ),
);
