import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { arbDeclaration } from '../../test/arbitraries.ts';
import { bareCommitmentInto, commitment } from './commitment.ts';
import {
  DECLARATION_SIZE,
  dayNumber,
  dayOutsideWindow,
  decodeEntry,
  type Entry,
  EntryFormatError,
  encodeEntry,
  FIRST_DAY,
  latestDay,
  ORGS,
  utcDay,
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

test('the format error names itself and carries its code', () => {
  const e = new EntryFormatError('x');
  assert.equal(e.name, 'EntryFormatError');
  assert.equal(e.code, 'malformed-entry');
  assert.equal(e.message, 'x');
});

test('days: calendar days only, numbered from 1970-01-01 up to 2149-06-06', () => {
  assert.equal(dayNumber('1970-01-01'), 0);
  assert.equal(dayNumber('1970-01-02'), 1);
  assert.equal(dayNumber('2149-06-06'), 0xffff);
  for (const day of ['abc', '2026-02-30', '2026-02-31', '2026-13-01', '2026-1-05', ' 2026-11-25'])
    assert.throws(() => dayNumber(day), {
      name: 'EntryFormatError',
      message: `not a calendar day: ${day}`,
    });
  for (const day of ['1969-12-31', '2149-06-07'])
    assert.throws(() => dayNumber(day), {
      name: 'EntryFormatError',
      message: `day ${day} is outside 1970-01-01 … 2149-06-06`,
    });
  // The cache gives the same answers the second time.
  assert.equal(dayNumber('2149-06-06'), 0xffff);
  assert.throws(() => dayNumber('2149-06-07'), EntryFormatError);
});

test('the day window: from the first day to tomorrow, with its reason', () => {
  assert.equal(FIRST_DAY, '2004-11-01');
  assert.equal(latestDay('2026-11-25'), '2026-11-26');
  assert.equal(latestDay('2026-12-31'), '2027-01-01');
  assert.equal(dayOutsideWindow('2004-11-01', '2026-11-25'), undefined);
  assert.equal(dayOutsideWindow('2026-11-25', '2026-11-25'), undefined);
  assert.equal(dayOutsideWindow('2026-11-26', '2026-11-25'), undefined);
  assert.equal(
    dayOutsideWindow('2004-10-31', '2026-11-25'),
    'its day 2004-10-31 is outside 2004-11-01 … 2026-11-26: no declaration or void can be dated so',
  );
  assert.equal(
    dayOutsideWindow('2026-11-27', '2026-11-25'),
    'its day 2026-11-27 is outside 2004-11-01 … 2026-11-26: no declaration or void can be dated so',
  );
  assert.equal(utcDay(new Date('2026-11-25T23:59:59.999Z')), '2026-11-25');
  assert.equal(utcDay(new Date('2026-11-26T00:00:00Z')), '2026-11-26');
});

test('encoding refuses a wrong commitment, a wrong group id and no organisation', () => {
  const e = {
    kind: 'declaration' as const,
    day: '2026-11-25',
    orgs: ['league'] as const,
    channel: 'phone' as const,
    commitment: new Uint8Array(32),
  };
  assert.throws(() => encodeEntry({ ...e, commitment: new Uint8Array(31) }), {
    name: 'EntryFormatError',
    message: 'commitment must be 32 bytes',
  });
  assert.throws(() => encodeEntry({ ...e, groupId: new Uint8Array(15) }), {
    name: 'EntryFormatError',
    message: 'group id must be 16 bytes',
  });
  assert.throws(() => encodeEntry({ ...e, orgs: [] }), {
    name: 'EntryFormatError',
    message: 'a declaration names at least one organisation',
  });
  const grouped = encodeEntry({ ...e, groupId: new Uint8Array(16).fill(7) });
  assert.equal(
    Buffer.from(grouped).toString('hex'),
    `0101512e02030001${'07'.repeat(16)}${'00'.repeat(32)}`,
  );
});

test('decoding says exactly what is wrong', () => {
  const decl = (len: number, patch: Record<number, number> = {}) => {
    const b = new Uint8Array(len);
    b.set([1, 1, 0x51, 0x2e, 1, 1, 0, 0].slice(0, len));
    for (const [i, v] of Object.entries(patch)) b[Number(i)] = v;
    return b;
  };
  const voidOf = (len: number, reason: number, target: bigint) => {
    const b = new Uint8Array(len);
    b.set([1, 2, 0x51, 0x2e, reason]);
    if (len >= 13) new DataView(b.buffer).setBigUint64(5, target);
    return b;
  };
  const table: Array<[Uint8Array, string]> = [
    [new Uint8Array(), 'too short'],
    [Uint8Array.of(1), 'too short'],
    [Uint8Array.of(1, 2), 'a void entry is 13 bytes'],
    [voidOf(12, 1, 0n), 'a void entry is 13 bytes'],
    [voidOf(14, 1, 0n), 'a void entry is 13 bytes'],
    [voidOf(13, 0, 0n), 'unknown void reason 0'],
    [voidOf(13, 6, 0n), 'unknown void reason 6'],
    [voidOf(13, 1, BigInt(Number.MAX_SAFE_INTEGER) + 1n), 'void target out of range'],
    [decl(40, { 0: 2 }), 'unknown version 2'],
    [decl(40, { 1: 3 }), 'unknown kind 3'],
    [decl(40, { 1: 0 }), 'unknown kind 0'],
    [decl(7), 'too short'],
    [decl(8), 'wrong length for a declaration'],
    [decl(39), 'wrong length for a declaration'],
    [decl(41), 'wrong length for a declaration'],
    [decl(40, { 7: 1 }), 'wrong length for a declaration'],
    [decl(56), 'wrong length for a declaration'],
    [decl(40, { 7: 2 }), 'unknown flags'],
    [decl(40, { 7: 0x80 }), 'unknown flags'],
    [decl(40, { 4: 0 }), 'organisations must be a non-empty subset of 3'],
    [decl(40, { 4: 8 }), 'organisations must be a non-empty subset of 3'],
    [decl(40, { 5: 0 }), 'unknown channel 0'],
    [decl(40, { 5: 6 }), 'unknown channel 6'],
    [decl(40, { 6: 255 }), 'unknown region 255'],
  ];
  for (const [b, why] of table)
    assert.throws(() => decodeEntry(b), {
      name: 'EntryFormatError',
      message: `malformed entry: ${why}`,
    });
  assert.deepEqual(decodeEntry(voidOf(13, 5, BigInt(Number.MAX_SAFE_INTEGER))), {
    kind: 'void',
    day: '2026-11-25',
    target: Number.MAX_SAFE_INTEGER,
    reason: 'request',
  });
  assert.deepEqual(decodeEntry(decl(40, { 4: 7, 5: 5, 6: regionByte('CN-GD') })), {
    kind: 'declaration',
    day: '2026-11-25',
    orgs: ['party', 'league', 'pioneers'],
    channel: 'import',
    region: 'CN-GD',
    groupId: undefined,
    commitment: new Uint8Array(32),
  });
  const grouped = decodeEntry(decl(56, { 7: 1, 8: 9, 23: 9, 55: 4 }));
  assert.ok(grouped.kind === 'declaration');
  assert.deepEqual(grouped.groupId, Uint8Array.of(9, ...new Uint8Array(14), 9));
  assert.equal(grouped.commitment[31], 4);
});
