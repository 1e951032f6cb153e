import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { arbDeclaration } from '../../test/arbitraries.ts';
import { bareCommitmentInto, commitment } from './commitment.ts';
import {
  DECLARATION_SIZE,
  dayNumber,
  decodeEntry,
  type Entry,
  EntryFormatError,
  encodeEntry,
  ORGS,
  VOID_REASONS,
  writeDeclarationHead,
} from './entry.ts';
import { regionByte } from './regions.ts';

test('declarations round-trip and stay within 64 bytes', () => {
  fc.assert(
    fc.property(arbDeclaration, (e) => {
      const bytes = encodeEntry(e);
      assert.ok(bytes.length <= 64, `${bytes.length} bytes`);
      const d = decodeEntry(bytes);
      assert.deepEqual(encodeEntry(d), bytes);
      assert.equal(d.kind, 'declaration');
    }),
  );
});

test('void entries round-trip', () => {
  fc.assert(
    fc.property(fc.maxSafeNat(), fc.constantFrom(...VOID_REASONS), (target, reason) => {
      const e: Entry = { kind: 'void', day: '2026-11-25', target, reason };
      assert.deepEqual(decodeEntry(encodeEntry(e)), e);
    }),
  );
});

test('a known entry encodes to known bytes (docs/log-format.md)', () => {
  const c = commitment(new Uint8Array(32), '王小明', 'real', undefined);
  const bytes = encodeEntry({
    kind: 'declaration',
    day: '2026-11-25',
    orgs: ['party', 'pioneers'],
    channel: 'web',
    region: 'CN-GD',
    commitment: c,
  });
  assert.equal(Buffer.from(bytes.subarray(0, 8)).toString('hex'), '0101512e05010500');
  assert.equal(bytes.length, 40);
});

test('decoding rejects anything but the one defined meaning of each byte', () => {
  const good = encodeEntry({
    kind: 'declaration',
    day: '2026-11-25',
    orgs: ['party'],
    channel: 'web',
    commitment: new Uint8Array(32),
  });
  const mutate = (i: number, v: number) => Uint8Array.from(good, (b, j) => (j === i ? v : b));
  for (const bad of [
    mutate(0, 2),
    mutate(1, 3),
    mutate(4, 0),
    mutate(4, 8),
    mutate(5, 0),
    mutate(5, 6),
    mutate(6, 36),
    mutate(7, 2),
    good.subarray(1),
    new Uint8Array(),
  ]) {
    assert.throws(() => decodeEntry(bad), EntryFormatError);
  }
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
      try {
        decodeEntry(b);
      } catch (e) {
        assert.ok(e instanceof EntryFormatError);
      }
    }),
  );
});

test('entry vectors in testdata/entry-vectors.json (docs/log-format.md)', () => {
  const file = new URL('../../testdata/entry-vectors.json', import.meta.url);
  const { vectors } = JSON.parse(readFileSync(file, 'utf8')) as {
    vectors: Array<{
      commitment_input?: {
        salt: string;
        name: string;
        nameKind: 'real' | 'alias';
        statement: string | null;
      };
      entry: Record<string, unknown>;
      hex: string;
    }>;
  };
  assert.ok(vectors.length >= 5);
  for (const v of vectors) {
    const decoded = decodeEntry(Buffer.from(v.hex, 'hex'));
    assert.equal(Buffer.from(encodeEntry(decoded)).toString('hex'), v.hex);
    const plain = JSON.parse(
      JSON.stringify(decoded, (_k, x) =>
        x instanceof Uint8Array ? Buffer.from(x).toString('hex') : x,
      ),
    );
    assert.deepEqual(plain, v.entry);
    if (v.commitment_input) {
      const { salt, name, nameKind, statement } = v.commitment_input;
      assert.equal(
        Buffer.from(
          commitment(Buffer.from(salt, 'hex'), name, nameKind, statement ?? undefined),
        ).toString('hex'),
        v.entry.commitment,
      );
    }
  }
});

test('writeDeclarationHead writes what encodeEntry does', () => {
  fc.assert(
    fc.property(arbDeclaration, (d) => {
      const e = { ...d, groupId: undefined };
      let orgBits = 0;
      for (const o of e.orgs) orgBits |= 1 << ORGS.indexOf(o);
      const out = new Uint8Array(3 + DECLARATION_SIZE).fill(0xee);
      writeDeclarationHead(out, 3, dayNumber(e.day), orgBits, e.channel, regionByte(e.region));
      out.set(e.commitment, 3 + 8);
      assert.deepEqual(out.subarray(3), encodeEntry(e));
    }),
  );
});

test('bareCommitmentInto is the commitment to no name and no statement', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 40, maxLength: 40 }), fc.nat(8), (salts, from) => {
      const out = new Uint8Array(40);
      bareCommitmentInto(out, 5, salts, from);
      assert.deepEqual(
        out.subarray(5, 37),
        new Uint8Array(commitment(salts.slice(from, from + 32), '', 'alias', undefined)),
      );
    }),
  );
});
