// A publication's owner tag, which publications a query finds (the public sees approved ones
// only) and the order of the lists.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  byCrowdOrder,
  byListOrder,
  matches,
  ownerTag,
  PUBLICATION_STATUSES,
  type Publication,
  type PublicationQuery,
} from './publication.ts';

const pub = (p: Partial<Publication> = {}): Publication => ({
  index: 10,
  name: 'Li Wang',
  nameKind: 'alias',
  statement: 'I Quit The Party',
  orgs: ['party', 'youth-league'],
  region: 'CN-GD',
  day: '2026-03-15',
  language: 'en',
  status: 'approved',
  approvedAt: 1000,
  ownerTag: new Uint8Array([1, 2, 3]),
  ...p,
});
const q = (query: Partial<PublicationQuery> = {}): PublicationQuery => ({ limit: 10, ...query });

test('the statuses', () => {
  assert.deepEqual(PUBLICATION_STATUSES, ['pending', 'approved', 'rejected']);
});

test('the owner tag is SHA-256 of the tag and the salt', () => {
  const salt = new Uint8Array(32).map((_, i) => i * 7);
  const expected = createHash('sha256')
    .update('tuidang/publication-owner/v1\n')
    .update(salt)
    .digest();
  const tag = ownerTag(salt);
  assert.equal(tag.length, 32);
  assert.deepEqual(Buffer.from(tag), expected);
  assert.equal(
    Buffer.from(ownerTag(new Uint8Array(0))).toString('hex'),
    createHash('sha256').update('tuidang/publication-owner/v1\n').digest('hex'),
  );
  // Not the salt's own hash, and one tag per salt.
  assert.notDeepEqual(Buffer.from(tag), createHash('sha256').update(salt).digest());
  assert.deepEqual(ownerTag(salt), tag);
  const other = Uint8Array.from(salt);
  other[31] = (other[31] as number) ^ 1;
  assert.notDeepEqual(ownerTag(other), tag);
});

test('an empty query finds approved publications only', () => {
  assert.equal(matches(pub(), q()), true);
  assert.equal(matches(pub({ status: 'pending' }), q()), false);
  assert.equal(matches(pub({ status: 'rejected' }), q()), false);
  // A publication without a status is a new one: pending.
  assert.equal(matches(pub({ status: undefined }), q()), false);
  assert.equal(matches(pub({ status: undefined }), q({ status: 'pending' })), true);
  assert.equal(matches(pub({ status: 'pending' }), q({ status: 'pending' })), true);
  assert.equal(matches(pub({ status: 'approved' }), q({ status: 'pending' })), false);
  assert.equal(matches(pub({ status: 'rejected' }), q({ status: 'rejected' })), true);
  assert.equal(matches(pub({ status: 'approved' }), q({ status: 'approved' })), true);
});

test('text is found in the statement or the name, trimmed and without case', () => {
  assert.equal(matches(pub(), q({ text: 'quit' })), true);
  assert.equal(matches(pub(), q({ text: '  QUIT the  ' })), true);
  assert.equal(matches(pub(), q({ text: 'wang' })), true);
  assert.equal(matches(pub(), q({ text: 'LI W' })), true);
  assert.equal(matches(pub(), q({ text: 'stay' })), false);
  assert.equal(matches(pub({ name: 'Zhang' }), q({ text: 'wang' })), false);
  // Only blanks, or nothing: no condition.
  assert.equal(matches(pub(), q({ text: '   ' })), true);
  assert.equal(matches(pub(), q({ text: '' })), true);
  // Not in the orgs, region or day.
  assert.equal(matches(pub(), q({ text: 'youth' })), false);
  assert.equal(matches(pub(), q({ text: 'CN-GD' })), false);
  assert.equal(matches(pub(), q({ text: '2026' })), false);
});

test('org, region and year', () => {
  assert.equal(matches(pub(), q({ org: 'party' })), true);
  assert.equal(matches(pub(), q({ org: 'youth-league' })), true);
  assert.equal(matches(pub(), q({ org: 'pioneers' })), false);
  assert.equal(matches(pub(), q({ org: 'part' })), false);
  assert.equal(matches(pub(), q({ org: '' })), true);
  assert.equal(matches(pub(), q({ region: 'CN-GD' })), true);
  assert.equal(matches(pub(), q({ region: 'CN-BJ' })), false);
  assert.equal(matches(pub({ region: undefined }), q({ region: 'CN-GD' })), false);
  assert.equal(matches(pub({ region: undefined }), q()), true);
  assert.equal(matches(pub(), q({ region: '' })), true);
  assert.equal(matches(pub(), q({ year: 2026 })), true);
  assert.equal(matches(pub(), q({ year: 2025 })), false);
  assert.equal(matches(pub({ day: '2026-12-31' }), q({ year: 2026 })), true);
  // A year is the day's first part, not any digits in it.
  assert.equal(matches(pub({ day: '2026-03-15' }), q({ year: 202 })), false);
  assert.equal(matches(pub({ day: '2026-03-15' }), q({ year: 3 })), false);
});

test('before: only indexes below it', () => {
  assert.equal(matches(pub({ index: 9 }), q({ before: 10 })), true);
  assert.equal(matches(pub({ index: 10 }), q({ before: 10 })), false);
  assert.equal(matches(pub({ index: 11 }), q({ before: 10 })), false);
  assert.equal(matches(pub({ index: 0 }), q({ before: 1 })), true);
  // 0 is a bound, not "no bound".
  assert.equal(matches(pub({ index: 0 }), q({ before: 0 })), false);
});

test('olderThan: approved before the cursor, the index breaking ties', () => {
  const cursor = { approvedAt: 1000, index: 10 };
  assert.equal(matches(pub({ approvedAt: 999, index: 50 }), q({ olderThan: cursor })), true);
  assert.equal(matches(pub({ approvedAt: 1001, index: 1 }), q({ olderThan: cursor })), false);
  assert.equal(matches(pub({ approvedAt: 1000, index: 9 }), q({ olderThan: cursor })), true);
  assert.equal(matches(pub({ approvedAt: 1000, index: 10 }), q({ olderThan: cursor })), false);
  assert.equal(matches(pub({ approvedAt: 1000, index: 11 }), q({ olderThan: cursor })), false);
  // Approved before the time was kept: as if at 0, the oldest.
  assert.equal(matches(pub({ approvedAt: undefined }), q({ olderThan: cursor })), true);
  assert.equal(
    matches(
      pub({ approvedAt: undefined, index: 5 }),
      q({ olderThan: { approvedAt: 0, index: 6 } }),
    ),
    true,
  );
  assert.equal(
    matches(
      pub({ approvedAt: undefined, index: 6 }),
      q({ olderThan: { approvedAt: 0, index: 6 } }),
    ),
    false,
  );
  assert.equal(
    matches(
      pub({ approvedAt: undefined, index: 5 }),
      q({ olderThan: { approvedAt: -1, index: 6 } }),
    ),
    false,
  );
});

test('months: only the days of those months', () => {
  assert.equal(matches(pub({ day: '2026-03-15' }), q({ months: ['2026-03'] })), true);
  assert.equal(matches(pub({ day: '2026-03-15' }), q({ months: ['2026-02', '2026-03'] })), true);
  assert.equal(matches(pub({ day: '2026-03-15' }), q({ months: ['2026-04'] })), false);
  assert.equal(matches(pub({ day: '2026-03-15' }), q({ months: ['2026-03-15'] })), false);
  assert.equal(matches(pub({ day: '2026-03-15' }), q({ months: ['2026'] })), false);
  assert.equal(matches(pub(), q({ months: [] })), false);
});

test('owner: only the publication of that owner tag, whatever its status', () => {
  const salt = new Uint8Array(32).fill(7);
  const tag = ownerTag(salt);
  const mine = pub({ ownerTag: ownerTag(salt), status: 'pending' });
  assert.equal(matches(mine, q({ owner: tag, status: 'pending' })), true);
  assert.equal(matches(pub({ ownerTag: tag }), q({ owner: tag })), true);
  assert.equal(matches(pub({ ownerTag: ownerTag(new Uint8Array(32)) }), q({ owner: tag })), false);
  // Without a tag, nobody's.
  assert.equal(matches(pub({ ownerTag: undefined }), q({ owner: tag })), false);
  // A tag that is a prefix, or longer, or differs in its last byte is another.
  assert.equal(matches(pub({ ownerTag: tag.slice(0, 31) }), q({ owner: tag })), false);
  assert.equal(matches(pub({ ownerTag: tag }), q({ owner: tag.slice(0, 31) })), false);
  const last = Uint8Array.from(tag);
  last[31] = (last[31] as number) ^ 0x80;
  assert.equal(matches(pub({ ownerTag: last }), q({ owner: tag })), false);
  const first = Uint8Array.from(tag);
  first[0] = (first[0] as number) ^ 1;
  assert.equal(matches(pub({ ownerTag: first }), q({ owner: tag })), false);
  // No owner in the query: anyone's.
  assert.equal(matches(pub({ ownerTag: undefined }), q()), true);
});

test('every condition must hold', () => {
  const all = q({
    text: 'quit',
    org: 'party',
    region: 'CN-GD',
    year: 2026,
    before: 11,
    olderThan: { approvedAt: 1001, index: 0 },
    months: ['2026-03'],
    owner: new Uint8Array([1, 2, 3]),
  });
  assert.equal(matches(pub(), all), true);
  const fails: Array<Partial<PublicationQuery>> = [
    { text: 'stay' },
    { org: 'pioneers' },
    { region: 'CN-BJ' },
    { year: 2025 },
    { before: 10 },
    { olderThan: { approvedAt: 1000, index: 10 } },
    { months: ['2026-04'] },
    { owner: new Uint8Array([1, 2, 4]) },
    { status: 'pending' },
  ];
  for (const f of fails) assert.equal(matches(pub(), { ...all, ...f }), false, JSON.stringify(f));
});

test('list order: newest approval first, then highest index', () => {
  const a = pub({ index: 1, approvedAt: 300 });
  const b = pub({ index: 2, approvedAt: 100 });
  const c = pub({ index: 3, approvedAt: 200 });
  const d = pub({ index: 4, approvedAt: 200 });
  const e = pub({ index: 5, approvedAt: undefined });
  const f = pub({ index: 6, approvedAt: undefined, status: 'pending' });
  assert.deepEqual(
    [b, e, a, f, c, d].sort(byListOrder).map((p) => p.index),
    [1, 4, 3, 2, 6, 5],
  );
  assert.equal(byListOrder(a, b), -200);
  assert.equal(byListOrder(b, a), 200);
  assert.equal(byListOrder(c, d), 1);
  assert.equal(byListOrder(d, c), -1);
  assert.equal(byListOrder(c, c), 0);
  assert.equal(byListOrder(e, b), 100);
  assert.equal(byListOrder(b, e), -100);
});

test('crowd order: month newest first, then owner tag bytewise, untagged last by index', () => {
  const t = (...b: number[]) => new Uint8Array(b);
  const list = [
    pub({ index: 1, day: '2026-02-01', ownerTag: t(9) }),
    pub({ index: 2, day: '2026-03-31', ownerTag: t(2, 0) }),
    pub({ index: 3, day: '2026-03-01', ownerTag: undefined }),
    pub({ index: 4, day: '2026-03-02', ownerTag: t(2) }),
    pub({ index: 5, day: '2026-03-20', ownerTag: t(1, 255) }),
    pub({ index: 6, day: '2026-03-20', ownerTag: undefined }),
    pub({ index: 7, day: '2025-12-31', ownerTag: t(0) }),
    pub({ index: 8, day: '2026-03-05', ownerTag: t(10) }),
    pub({ index: 9, day: '2026-03-05', ownerTag: t(10) }),
  ];
  // Bytewise, so 10 after 9 and 2 after 1,255 (not as text); a prefix first.
  assert.deepEqual(
    [...list]
      .reverse()
      .sort(byCrowdOrder)
      .map((p) => p.index),
    [5, 4, 2, 8, 9, 3, 6, 1, 7],
  );
  const [p1, p2, p3, p4, p5, p6, , p8, p9] = list as [
    Publication,
    Publication,
    Publication,
    Publication,
    Publication,
    Publication,
    Publication,
    Publication,
    Publication,
  ];
  assert.equal(byCrowdOrder(p1, p2), 1);
  assert.equal(byCrowdOrder(p2, p1), -1);
  assert.equal(byCrowdOrder(p5, p4), -1);
  assert.equal(byCrowdOrder(p4, p5), 1);
  assert.equal(byCrowdOrder(p4, p2), -1);
  assert.equal(byCrowdOrder(p2, p4), 1);
  assert.equal(byCrowdOrder(p3, p6), -3);
  assert.equal(byCrowdOrder(p6, p3), 3);
  assert.ok(byCrowdOrder(p3, p4) > 0);
  assert.ok(byCrowdOrder(p4, p3) < 0);
  assert.equal(byCrowdOrder(p8, p9), -1);
  assert.equal(byCrowdOrder(p9, p8), 1);
  assert.equal(byCrowdOrder(p8, p8), 0);
  assert.equal(byCrowdOrder(p3, p3), 0);
  // The byte difference itself.
  assert.equal(byCrowdOrder(pub({ ownerTag: t(3, 1) }), pub({ ownerTag: t(3, 7) })), -6);
  assert.equal(byCrowdOrder(pub({ ownerTag: t(200) }), pub({ ownerTag: t(5) })), 195);
  // The day within the month does not count.
  assert.equal(
    byCrowdOrder(
      pub({ index: 1, day: '2026-03-31', ownerTag: t(5) }),
      pub({ index: 1, day: '2026-03-01', ownerTag: t(5) }),
    ),
    0,
  );
});
