import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { dayNumber, ORGS, parseImportRecord, RecordError, regionByte } from '../registry/index.ts';
import { shuffledOrder } from './batch.ts';
import { FastRecords, fieldDay, fieldOrgs, fieldRegion } from './fast.ts';

const TODAY = '2026-11-25';
const encoder = new TextEncoder();

/** What the general path makes of a line: the packed fields' parts, or undefined if rejected. */
function general(line: string): [number, number, number] | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  try {
    const r = parseImportRecord(raw, TODAY);
    let orgBits = 0;
    for (const o of r.orgs) orgBits |= 1 << ORGS.indexOf(o);
    if (r.name !== undefined || r.statement !== undefined || r.publish) return undefined;
    return [dayNumber(r.day), orgBits, regionByte(r.region)];
  } catch (e) {
    if (e instanceof RecordError) return undefined;
    throw e;
  }
}

/** The fast path's fields for a line, or undefined where it leaves the line to the general path. */
function fast(records: FastRecords, line: string): [number, number, number] | undefined {
  const bytes = encoder.encode(`xx\n${line}\nyy`); // with neighbours, which must not be read
  const f = records.parse(bytes, 3, bytes.length - 3);
  return f < 0 ? undefined : [fieldDay(f), fieldOrgs(f), fieldRegion(f)];
}

test('the fast path reads the common records, as the general path does', () => {
  const records = new FastRecords(TODAY);
  for (const line of [
    '{"day":"2009-05-01","orgs":["party","league"],"region":"CN-44"}',
    '{"day":"2010-01-01","orgs":["pioneers"]}',
    '{"orgs":["league","party","league"],"day":"2010-01-01","region":"cn-gd"}',
    ' { "day" : "2010-01-01" ,\t"orgs" : [ "party" ] , "region" : null } ',
    '{"day":"2010-01-01","orgs":["party"],"region":""}',
    '{"day":"2004-11-01","orgs":["party"],"region":"ZZ"}',
    `{"day":"${TODAY}","orgs":["party"]}`,
  ]) {
    const expected = general(line);
    assert.notEqual(expected, undefined, line);
    assert.deepEqual(fast(records, line), expected, line);
  }
});

test('the fast path leaves to the general path what it does not read exactly', () => {
  const records = new FastRecords(TODAY);
  for (const line of [
    '',
    '{}',
    '{bad json',
    '{"day":"2027-01-01","orgs":["party"]}',
    '{"day":"2004-10-31","orgs":["party"]}',
    '{"day":"2012-02-30","orgs":["party"]}',
    '{"day":"2012-2-03","orgs":["party"]}',
    '{"day":"2011-02-03","orgs":[]}',
    '{"day":"2011-02-03","orgs":"party;league"}',
    '{"day":"2011-02-03","orgs":["party",]}',
    '{"day":"2011-02-03","orgs":["party"],}',
    '{"day":"2011-02-03","orgs":["Party"]}',
    '{"day":"2011-02-03","orgs":["party"],"region":"CN-XX"}',
    '{"day":"2011-02-03","orgs":["party"],"region":"CN-GD "}',
    '{"day":"2011-02-03","orgs":["party"],"region":"CN\\u002dGD"}',
    '{"day":"2011-02-03","orgs":["party"],"region":7}',
    '{"day":"2011-02-03","orgs":["party"],"region":nul}',
    '{"day":"2011-02-03","orgs":["party"],"day":"2012-02-03"}',
    '{"day":"2011-02-03","orgs":["p\\u0061rty"]}',
    '{"d\\u0061y":"2011-02-03","orgs":["party"]}',
    '{"day":"2011-02-03","orgs":["party"],"name":"x","publish":true}',
    '{"day":"2011-02-03","orgs":["party"],"email":"x@example.org"}',
    '{"day":"2011-02-03","orgs":["party"]} x',
    '{"day":"2011-02-03","orgs":["party"]',
    '["day","2011-02-03"]',
    '\ufeff{"day":"2011-02-03","orgs":["party"]}',
  ]) {
    assert.equal(fast(records, line), undefined, line);
  }
});

test('whatever a line becomes, the fast path never reads it otherwise than the general path', () => {
  const records = new FastRecords(TODAY);
  const base = [
    '{"day":"2009-05-01","orgs":["party","league"],"region":"CN-44"}',
    '{"day":"2010-01-01","orgs":["pioneers"],"region":null}',
    '{"region":"ZZ","orgs":["league"],"day":"2020-02-29"}',
  ];
  const pieces = ['"', ',', ':', '[', ']', '{', '}', ' ', '\\', 'x', '0', '9', '-', 'null', '""'];
  fc.assert(
    fc.property(
      fc.constantFrom(...base),
      fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...pieces)), { maxLength: 3 }),
      (line, edits) => {
        let s = line;
        for (const [at, cut, piece] of edits) {
          const i = at % (s.length + 1);
          s = s.slice(0, i) + piece + s.slice(i + (cut % 3));
        }
        const f = fast(records, s);
        if (f !== undefined) assert.deepEqual(f, general(s), s);
      },
    ),
    { numRuns: 5000 },
  );
});

test('shuffledOrder: a permutation, in every order', () => {
  for (const n of [0, 1, 2, 7, 1000]) {
    const order = shuffledOrder(n);
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      Array.from({ length: n }, (_, i) => i),
    );
  }
  const seen = new Set<string>();
  for (let i = 0; i < 600; i++) seen.add(shuffledOrder(3).join());
  assert.equal(seen.size, 6);
});
