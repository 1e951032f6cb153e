// Writes testdata/entry-vectors.json: log entries (docs/log-format.md) computed from fixed inputs;
// with --invalid, testdata/entry-vectors-invalid.json: one entry or log per rule a decoder or a
// verifier MUST reject. Deterministic: fixed salts and group ids, so the files only change when
// the format does.
// Run: node scripts/entry-vectors.ts > testdata/entry-vectors.json
//      node scripts/entry-vectors.ts --invalid > testdata/entry-vectors-invalid.json
import { commitment, dayNumber, type Entry, encodeEntry } from '../src/registry/index.ts';

const salt = (n: number) => new Uint8Array(32).fill(n);
const group = new Uint8Array(16).map((_, i) => i);

const cases: Array<{
  description: string;
  entry: Entry;
  commitmentInput?: Record<string, unknown>;
}> = [];
const declare = (
  description: string,
  name: string,
  nameKind: 'real' | 'alias',
  statement: string | undefined,
  s: number,
  e: Omit<Extract<Entry, { kind: 'declaration' }>, 'kind' | 'commitment'>,
) => {
  cases.push({
    description,
    commitmentInput: {
      salt: Buffer.from(salt(s)).toString('hex'),
      name,
      nameKind,
      statement: statement ?? null,
    },
    entry: {
      kind: 'declaration',
      ...e,
      commitment: commitment(salt(s), name, nameKind, statement),
    },
  });
};
declare('single declarant, web, no region', 'Li', 'alias', undefined, 1, {
  day: '2026-11-25',
  orgs: ['party'],
  channel: 'web',
});
declare(
  'real name with statement, region, all organisations',
  '王小明',
  'real',
  '我声明退出中共及其附属组织。',
  2,
  {
    day: '2026-11-25',
    orgs: ['party', 'league', 'pioneers'],
    channel: 'web',
    region: 'CN-GD',
  },
);
declare(
  'member of a family (group id, as entries written before 2026-11 carry)',
  '小红',
  'alias',
  undefined,
  3,
  {
    day: '2025-01-01',
    orgs: ['league'],
    channel: 'volunteer',
    region: 'CN-SC',
    groupId: group,
  },
);
declare('declarant overseas (region 35, ZZ)', 'Chen', 'real', undefined, 5, {
  day: '2026-11-25',
  orgs: ['league', 'pioneers'],
  channel: 'web',
  region: 'ZZ',
});
declare('historical import', 'Zhang', 'alias', undefined, 4, {
  day: '2009-05-01',
  orgs: ['party', 'league'],
  channel: 'import',
  region: 'CN-BJ',
});
cases.push({
  description: 'void of entry 3 as a duplicate',
  entry: { kind: 'void', day: '2026-11-26', target: 3, reason: 'duplicate' },
});

if (process.argv[2] === '--invalid') {
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const declaration = encodeEntry({
    kind: 'declaration',
    day: '2026-11-25',
    orgs: ['party'],
    channel: 'web',
    commitment: new Uint8Array(32).fill(7),
  });
  const voidOf = (target: number) =>
    encodeEntry({ kind: 'void', day: '2026-11-26', target, reason: 'duplicate' });
  /** The declaration with byte `at` set to `value`. */
  const set = (base: Uint8Array, at: number, value: number) => {
    const b = new Uint8Array(base);
    b[at] = value;
    return b;
  };
  const day = (d: number) => {
    const b = new Uint8Array(declaration);
    new DataView(b.buffer).setUint16(2, d);
    return b;
  };
  const target53 = new Uint8Array(voidOf(0));
  new DataView(target53.buffer).setBigUint64(5, 2n ** 53n);
  const one: Array<[string, string, Uint8Array]> = [
    ['too-short', 'an entry of fewer than 2 bytes', Uint8Array.of(1)],
    [
      'declaration-header-cut',
      'a declaration shorter than its 8-byte header',
      declaration.slice(0, 6),
    ],
    ['version-2', 'a version other than 0x01', set(declaration, 0, 2)],
    ['kind-3', 'a kind other than 0x01 or 0x02', set(declaration, 1, 3)],
    ['void-12-bytes', 'a void that is not 13 bytes', voidOf(0).slice(0, 12)],
    ['void-14-bytes', 'a void that is not 13 bytes', Uint8Array.of(...voidOf(0), 0)],
    ['void-reason-0', 'a void reason outside 1–5', set(voidOf(0), 4, 0)],
    ['void-reason-6', 'a void reason outside 1–5', set(voidOf(0), 4, 6)],
    ['void-target-2^53', 'a void target above 2^53 − 1', target53],
    [
      'declaration-41-bytes',
      'a declaration of flags 0x00 that is not 40 bytes',
      Uint8Array.of(...declaration, 0),
    ],
    [
      'declaration-group-flag-40-bytes',
      'a declaration of flags 0x01 that is not 56 bytes',
      set(declaration, 7, 1),
    ],
    ['flags-0x02', 'flags with a bit other than bit 0', set(declaration, 7, 2)],
    ['orgs-none', 'no organisation', set(declaration, 4, 0)],
    ['orgs-bit-3', 'an organisation bit above bit 2', set(declaration, 4, 8 | 1)],
    ['channel-0', 'a channel outside 1–5', set(declaration, 5, 0)],
    ['channel-6', 'a channel outside 1–5', set(declaration, 5, 6)],
    ['region-36', 'a region above 35', set(declaration, 6, 36)],
    ['day-2004-10-31', 'a day before 2004-11-01', day(dayNumber('2004-10-31'))],
    ['day-2149-06-06', "a day after the verifier's today plus one", day(0xffff)],
  ];
  const logs: Array<[string, string, Uint8Array[], number]> = [
    ['void-of-later', 'a void of a later entry', [voidOf(1), declaration], 0],
    ['void-of-itself', 'a void of itself', [declaration, voidOf(1)], 1],
    ['void-of-void', 'a void of a void', [declaration, voidOf(0), voidOf(1)], 2],
    ['void-twice', 'a void of an entry voided already', [declaration, voidOf(0), voidOf(0)], 2],
  ];
  const vectors = [
    ...one.map(([name, rule, b]) => ({ name, rule, entries: [hex(b)], invalidAt: 0 })),
    ...logs.map(([name, rule, entries, invalidAt]) => ({
      name,
      rule,
      entries: entries.map(hex),
      invalidAt,
    })),
  ];
  console.log(
    JSON.stringify(
      {
        source: 'scripts/entry-vectors.ts --invalid (format version 1)',
        about:
          'Each vector is a log (its entries in order, hex); a verifier MUST reject it at entry invalidAt, the entries before it being valid.',
        vectors,
      },
      null,
      2,
    ),
  );
  process.exit(0);
}

const out = cases.map(({ description, entry, commitmentInput }) => ({
  description,
  ...(commitmentInput ? { commitment_input: commitmentInput } : {}),
  entry: {
    ...entry,
    ...('commitment' in entry ? { commitment: Buffer.from(entry.commitment).toString('hex') } : {}),
    ...('groupId' in entry && entry.groupId
      ? { groupId: Buffer.from(entry.groupId).toString('hex') }
      : {}),
  },
  hex: Buffer.from(encodeEntry(entry)).toString('hex'),
}));
console.log(
  JSON.stringify({ source: 'scripts/entry-vectors.ts (format version 1)', vectors: out }, null, 2),
);
