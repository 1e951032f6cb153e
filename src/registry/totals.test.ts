import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { arbDeclaration } from '../../test/arbitraries.ts';
import {
  type DeclarationEntry,
  dayNumber,
  decodeEntry,
  type Entry,
  encodeEntry,
  ORGS,
} from './entry.ts';
import { regionByte } from './regions.ts';
import {
  addEntry,
  addTotals,
  cloneTotals,
  emptyTotals,
  headline,
  ImportCount,
  Recount,
  TallyError,
  talliesChanged,
  tally,
} from './totals.ts';

/** A random log: declarations, and voids of earlier declarations not yet voided. */
const arbLog = fc
  .array(fc.tuple(arbDeclaration, fc.nat(), fc.boolean()), { maxLength: 80 })
  .map((steps) => {
    const log: Entry[] = [];
    const open: number[] = [];
    for (const [d, pick, isVoid] of steps) {
      if (isVoid && open.length > 0) {
        const [target] = open.splice(pick % open.length, 1);
        log.push({ kind: 'void', day: d.day, target: target as number, reason: 'duplicate' });
      } else {
        open.push(log.length);
        log.push(d);
      }
    }
    return log;
  });

test('incremental totals equal totals recomputed from the raw entries', () => {
  fc.assert(
    fc.property(arbLog, fc.integer({ min: 1, max: 10 }), (log, batch) => {
      const incremental = emptyTotals();
      for (let at = 0; at < log.length; at += batch) {
        for (const e of log.slice(at, at + batch)) {
          addEntry(
            incremental,
            e,
            e.kind === 'void' ? (log[e.target] as DeclarationEntry) : undefined,
          );
        }
      }
      const raw = tally(log.map((e) => decodeEntry(encodeEntry(e))));
      assert.deepEqual(incremental, raw);
      const live = log.filter(
        (e, i) => e.kind === 'declaration' && !log.some((v) => v.kind === 'void' && v.target === i),
      );
      assert.equal(headline(raw), live.length);
      assert.equal(
        raw.registered.declarants,
        live.filter((e) => e.kind === 'declaration' && e.channel !== 'import').length,
      );
    }),
  );
});

test('a void of a void, of a later entry, or a second void is a broken log', () => {
  const d: Entry = {
    kind: 'declaration',
    day: '2026-01-01',
    orgs: ['league'],
    channel: 'web',
    commitment: new Uint8Array(32),
  };
  const v = (target: number): Entry => ({
    kind: 'void',
    day: '2026-01-02',
    target,
    reason: 'test',
  });
  assert.throws(() => tally([d, v(0), v(1)]), TallyError);
  assert.throws(() => tally([v(1), d]), TallyError);
  assert.throws(() => tally([d, v(0), v(0)]), TallyError);
  const ok = tally([d, d, v(0)]);
  assert.equal(headline(ok), 1);
  assert.deepEqual(ok.voided, { test: 1 });
  assert.equal(ok.registered.orgs.league, 1);
  assert.deepEqual(ok.registered.days, { '2026-01-01': 1 });
});

test('a recount that keeps nothing per entry, given each void target, counts the same', () => {
  fc.assert(
    fc.property(arbLog, (log) => {
      const lean = new Recount({ keep: false });
      for (const e of log) lean.add(e, e.kind === 'void' ? log[e.target] : undefined);
      assert.deepEqual(lean.totals, tally(log));
    }),
  );
  const d: Entry = {
    kind: 'declaration',
    day: '2026-01-01',
    orgs: ['party'],
    channel: 'web',
    commitment: new Uint8Array(32),
  };
  const v: Entry = { kind: 'void', day: '2026-01-02', target: 0, reason: 'test' };
  const lean = new Recount({ keep: false });
  lean.add(d);
  assert.throws(() => lean.add(v), TallyError, 'a void whose target was not looked up');
  assert.throws(() => lean.add(v, v), TallyError, 'a void of a void');
  lean.add(v, d);
  assert.throws(() => lean.add(v, d), TallyError, 'a second void');
  assert.equal(headline(lean.totals), 0);
});

test('totals of batches counted apart add up to the totals of the whole', () => {
  fc.assert(
    fc.property(fc.array(arbDeclaration, { maxLength: 60 }), fc.nat(60), (log, cut) => {
      const sum = tally(log.slice(0, cut));
      addTotals(sum, tally(log.slice(cut)));
      assert.deepEqual(sum, tally(log));
    }),
  );
});

test('ImportCount: the totals addEntry gives for the same import declarations, and it starts again', () => {
  fc.assert(
    fc.property(fc.array(arbDeclaration, { maxLength: 60 }), (declarations) => {
      const imported = declarations.map((d) => ({ ...d, channel: 'import' as const }));
      const count = new ImportCount();
      for (const d of imported) {
        let orgBits = 0;
        for (const o of d.orgs) orgBits |= 1 << ORGS.indexOf(o);
        count.add(dayNumber(d.day), orgBits, regionByte(d.region));
      }
      assert.deepEqual(count.take(), tally(imported));
      assert.deepEqual(count.take(), emptyTotals());
    }),
  );
});

const decl = (over: Partial<DeclarationEntry> = {}): DeclarationEntry => ({
  kind: 'declaration',
  day: '2026-01-01',
  orgs: ['league'],
  channel: 'web',
  commitment: new Uint8Array(32),
  ...over,
});
const voidOf = (target: number): Entry => ({
  kind: 'void',
  day: '2026-01-02',
  target,
  reason: 'test',
});
const zeroOrgs = { party: 0, league: 0, pioneers: 0 };
const zeroChannels = { web: 0, volunteer: 0, phone: 0, centre: 0, import: 0 };

test('a voided declaration leaves no zero day or region behind, but keeps the fixed keys', () => {
  const t = tally([
    decl({ region: 'CN-GD', orgs: ['party', 'pioneers'] }),
    decl({ channel: 'import' }),
    voidOf(0),
  ]);
  assert.deepEqual(t, {
    entries: 3,
    registered: { declarants: 0, orgs: zeroOrgs, channels: zeroChannels, days: {}, regions: {} },
    imported: {
      declarants: 1,
      orgs: { ...zeroOrgs, league: 1 },
      channels: { ...zeroChannels, import: 1 },
      days: { '2026-01-01': 1 },
      regions: { none: 1 },
    },
    voided: { test: 1 },
  });
});

test('a void added without the declaration it voids is a programming error', () => {
  assert.throws(
    () => addEntry(emptyTotals(), voidOf(7)),
    (e: unknown) =>
      !(e instanceof TallyError) &&
      e instanceof Error &&
      (e as { code?: string }).code === 'internal' &&
      e.message === 'void entry for index 7 needs the entry it voids',
  );
});

test('a clone is equal and independent of the original', () => {
  const t = tally([decl({ region: 'CN-GD' }), decl({ channel: 'import' }), decl(), voidOf(2)]);
  const before = structuredClone(t);
  const c = cloneTotals(t);
  assert.deepEqual(c, t);
  addEntry(c, decl({ day: '2026-03-03', region: 'CN-BJ', orgs: ['party'] }));
  addEntry(c, decl({ channel: 'import', day: '2026-03-04', orgs: ['pioneers'] }));
  addEntry(c, voidOf(0), decl({ region: 'CN-GD' }));
  assert.deepEqual(t, before);
  assert.equal(c.entries, 7);
  assert.deepEqual(c.voided, { test: 2 });
});

test('a clone for a batch copies only the tallies the batch changes, and both stay as they were', () => {
  const t = tally([decl({ region: 'CN-GD' }), decl({ channel: 'import' }), decl(), voidOf(2)]);
  const before = structuredClone(t);
  const history = decl({ channel: 'import' });
  const targets = new Map([[1, history]]);
  const today = [decl({ day: '2026-03-03' }), decl({ channel: 'volunteer' })];
  assert.deepEqual(talliesChanged(today, targets), { registered: true, imported: false });
  assert.deepEqual(talliesChanged([decl({ channel: 'import' })], targets), {
    registered: false,
    imported: true,
  });
  // A void changes the tally of the declaration it voids.
  assert.deepEqual(talliesChanged([voidOf(1)], targets), { registered: false, imported: true });
  assert.deepEqual(talliesChanged([voidOf(0)], new Map([[0, decl()]])), {
    registered: true,
    imported: false,
  });
  const c = cloneTotals(t, talliesChanged(today, targets));
  assert.equal(c.imported, t.imported, 'the imported tally is shared, not copied');
  assert.notEqual(c.registered, t.registered);
  for (const e of today) addEntry(c, e);
  addEntry(c, voidOf(0), decl({ region: 'CN-GD' }));
  assert.deepEqual(t, before);
  assert.deepEqual(
    c,
    tally([
      ...[decl({ region: 'CN-GD' }), decl({ channel: 'import' }), decl(), voidOf(2)],
      ...today,
      voidOf(0),
    ]),
  );
  const d = cloneTotals(t, talliesChanged([voidOf(1)], targets));
  assert.equal(d.registered, t.registered);
  addEntry(d, voidOf(1), history);
  assert.deepEqual(t, before);
});

test('adding totals adds the voids per reason too', () => {
  const a = tally([decl(), voidOf(0)]);
  const b = tally([decl(), decl(), voidOf(1), voidOf(0)]);
  b.voided = { test: 2, flood: 1 };
  addTotals(a, b);
  assert.deepEqual(a.voided, { test: 3, flood: 1 });
  assert.equal(a.entries, 6);
});

test('the error of a broken log names itself, its code and the entries', () => {
  const cases: Array<[Entry[], string]> = [
    [[decl(), voidOf(0), voidOf(1)], 'entry 2 voids entry 1, which is not an earlier declaration'],
    [[voidOf(0)], 'entry 0 voids entry 0, which is not an earlier declaration'],
    [[decl(), voidOf(5)], 'entry 1 voids entry 5, which is not an earlier declaration'],
    [[decl(), voidOf(0), voidOf(0)], 'entry 2 voids entry 0 a second time'],
  ];
  for (const [log, message] of cases)
    assert.throws(() => tally(log), { name: 'TallyError', code: 'bad-void', message });
});

test('a lean recount refuses a void of itself or of a later entry even if given a declaration', () => {
  const lean = new Recount({ keep: false });
  lean.add(decl());
  assert.throws(() => lean.add(voidOf(1), decl()), {
    name: 'TallyError',
    message: 'entry 1 voids entry 1, which is not an earlier declaration',
  });
  assert.throws(() => lean.add(voidOf(2), decl()), TallyError);
  lean.add(voidOf(0), decl());
  assert.equal(lean.totals.entries, 2);
});

test('a recount keeps every declaration of a log longer than its first buffer', () => {
  const r = new Recount();
  const n = 5000;
  for (let i = 0; i < n; i++)
    r.add(decl({ region: i % 2 ? 'CN-GD' : undefined, orgs: i % 3 ? ['party'] : ['league'] }));
  for (const target of [0, 1023, 1024, 1025, 2047, 2048, 4095, 4096, n - 1]) r.add(voidOf(target));
  const t = r.totals;
  assert.equal(t.entries, n + 9);
  assert.equal(t.registered.declarants, n - 9);
  assert.deepEqual(t.voided, { test: 9 });
  // Voided: 0, 1024, 2048, 4096 (even: no region), 1023, 1025, 2047, 4095, 4999 (odd: CN-GD).
  assert.deepEqual(t.registered.regions, { none: n / 2 - 4, 'CN-GD': n / 2 - 5 });
  assert.throws(() => r.add(voidOf(4096)), {
    message: `entry ${n + 9} voids entry 4096 a second time`,
  });
});

test('ImportCount counts a day seen twice, and restarts its organisations and regions', () => {
  const count = new ImportCount();
  const day = dayNumber('2026-01-01');
  count.add(day, 0b011, regionByte('CN-GD'));
  count.add(day, 0b100, 0);
  count.add(day, 0b001, regionByte('CN-GD'));
  assert.deepEqual(count.take().imported, {
    declarants: 3,
    orgs: { party: 2, league: 1, pioneers: 1 },
    channels: { ...zeroChannels, import: 3 },
    days: { '2026-01-01': 3 },
    regions: { 'CN-GD': 2, none: 1 },
  });
  count.add(day, 0b010, 0);
  const again = count.take();
  assert.equal(again.entries, 1);
  assert.deepEqual(again.imported, {
    declarants: 1,
    orgs: { party: 0, league: 1, pioneers: 0 },
    channels: { ...zeroChannels, import: 1 },
    days: { '2026-01-01': 1 },
    regions: { none: 1 },
  });
  assert.deepEqual(count.take(), emptyTotals());
});
