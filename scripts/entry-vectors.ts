// Writes testdata/entry-vectors.json: log entries (docs/log-format.md) computed from fixed inputs.
// Deterministic: fixed salts and group ids, so the file only changes when the format does.
// Run: node scripts/entry-vectors.ts > testdata/entry-vectors.json
import { commitment, type Entry, encodeEntry } from '../src/registry/index.ts';

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
