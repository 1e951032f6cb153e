import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIndex, parseIndexList, parseVoidReason } from './staff-form.ts';

test('entry numbers are decimal digits and nothing else', () => {
  for (const [text, expected] of [
    ['0', 0],
    ['7', 7],
    ['73', 73],
    ['9007199254740991', 9007199254740991],
    ['', undefined],
    [' 7', undefined],
    ['7 ', undefined],
    ['0x49', undefined],
    ['1e3', undefined],
    ['+7', undefined],
    ['-1', undefined],
    ['07', undefined],
    ['7.0', undefined],
    ['٧', undefined],
    ['７', undefined],
    ['9007199254740992', undefined],
    [null, undefined],
  ] as const)
    assert.equal(parseIndex(text), expected, JSON.stringify(text));
});

test('lists of entry numbers: spaces or commas, repeats once, any bad one refuses all', () => {
  assert.deepEqual(parseIndexList('12, 40 12，7'), [12, 40, 7]);
  assert.equal(parseIndexList('12 0x49'), undefined);
  assert.equal(parseIndexList(' , '), undefined);
  assert.equal(parseVoidReason('flood'), 'flood');
  assert.equal(parseVoidReason('FLOOD'), undefined);
});
