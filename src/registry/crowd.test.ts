import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crowdedMonths, statementMonth } from './crowd.ts';
import type { DeclarationEntry } from './entry.ts';
import { addEntry, emptyTotals, type Totals } from './totals.ts';

function totals(registered: Record<string, number>, imported: Record<string, number> = {}): Totals {
  const t = emptyTotals();
  t.registered.days = registered;
  t.imported.days = imported;
  return t;
}

test('statementMonth: the year and month of a day', () => {
  assert.equal(statementMonth('2026-12-02'), '2026-12');
  assert.equal(statementMonth('2004-11-01'), '2004-11');
  assert.equal(statementMonth('2010-01-31'), '2010-01');
});

test('crowdedMonths: none in an empty log', () => {
  assert.deepStrictEqual(crowdedMonths(emptyTotals(), 1), []);
  assert.deepStrictEqual(crowdedMonths(emptyTotals(), 0), []);
});

test('crowdedMonths: the days of a month add up; at least `crowd`, boundary included', () => {
  const t = totals({ '2026-11-01': 2, '2026-11-30': 1, '2026-12-02': 2 });
  assert.deepStrictEqual(crowdedMonths(t, 3), ['2026-11']);
  assert.deepStrictEqual(crowdedMonths(t, 2), ['2026-12', '2026-11']);
  assert.deepStrictEqual(crowdedMonths(t, 4), []);
  assert.deepStrictEqual(crowdedMonths(t, 1), ['2026-12', '2026-11']);
});

test('crowdedMonths: registered and imported declarations count together', () => {
  const t = totals({ '2010-05-06': 2 }, { '2010-05-20': 1, '2005-01-01': 3 });
  assert.deepStrictEqual(crowdedMonths(t, 3), ['2010-05', '2005-01']);
  assert.deepStrictEqual(crowdedMonths(t, 4), []);
  // Imported alone, or registered alone, reach the crowd too.
  assert.deepStrictEqual(crowdedMonths(totals({}, { '2005-01-01': 3 }), 3), ['2005-01']);
  assert.deepStrictEqual(crowdedMonths(totals({ '2005-01-01': 3 }), 3), ['2005-01']);
});

test('crowdedMonths: newest first, across years', () => {
  const t = totals(
    { '2009-12-31': 5, '2026-01-15': 5, '2010-01-01': 5 },
    { '2004-11-01': 5, '2026-10-10': 5 },
  );
  assert.deepStrictEqual(crowdedMonths(t, 5), [
    '2026-10',
    '2026-01',
    '2010-01',
    '2009-12',
    '2004-11',
  ]);
});

test('crowdedMonths: voided declarations and other tallies do not count', () => {
  const t = totals({ '2026-11-01': 2 });
  t.voided = { flood: 10 };
  t.entries = 100;
  t.registered.declarants = 50;
  t.registered.regions = { 'CN-BJ': 50 };
  assert.deepStrictEqual(crowdedMonths(t, 3), []);
  assert.deepStrictEqual(crowdedMonths(t, 2), ['2026-11']);
});

test('crowdedMonths: the same totals give the same answer until they count another entry', () => {
  const t = emptyTotals();
  const declared = (day: string): DeclarationEntry => ({
    kind: 'declaration',
    day,
    orgs: ['party'],
    channel: 'web',
    commitment: new Uint8Array(32),
  });
  addEntry(t, declared('2026-11-30'));
  addEntry(t, declared('2026-11-01'));
  const first = crowdedMonths(t, 2);
  assert.deepStrictEqual(first, ['2026-11']);
  assert.equal(crowdedMonths(t, 2), first, 'kept, not counted again');
  assert.deepStrictEqual(crowdedMonths(t, 3), [], 'another crowd is counted anew');
  assert.deepStrictEqual(crowdedMonths(t, 2), ['2026-11']);
  // One more entry: the answer follows the totals, in this object as in a copy of it.
  addEntry(t, declared('2026-12-02'));
  addEntry(t, declared('2026-12-03'));
  assert.deepStrictEqual(crowdedMonths(t, 2), ['2026-12', '2026-11']);
  addEntry(t, declared('2026-11-02'));
  assert.deepStrictEqual(crowdedMonths(t, 3), ['2026-11']);
  assert.throws(() => (crowdedMonths(t, 3) as string[]).push('2030-01'), TypeError, 'read-only');
});
