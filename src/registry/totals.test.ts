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
  emptyTotals,
  headline,
  ImportCount,
  Recount,
  TallyError,
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
