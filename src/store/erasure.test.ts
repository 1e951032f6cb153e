// PendingErasure's bookkeeping, with attempts that succeed only when a test says so: what it
// tells, when several tables' erasures count as one, and what closing stops.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { within } from '../../test/wait.ts';
import { PendingErasure, together } from './erasure.ts';

/** An erasure whose attempts fail until `free` is set (a reader older than it has ended). */
function blocked() {
  const state = { free: false, attempts: 0 };
  const erasure = new PendingErasure(async () => {
    state.attempts++;
    return state.free;
  });
  return { state, erasure };
}

test('two tables waiting at once are told as one wait, and done once both are', async () => {
  const a = blocked();
  const b = blocked();
  const both = together([a.erasure, b.erasure]);
  const told: boolean[] = [];
  both.observe((waiting) => told.push(waiting));
  try {
    await Promise.all([a.erasure.erased(), b.erasure.erased()]);
    assert.equal(both.waiting, true);
    assert.deepEqual(told, [true]);
    a.state.free = true;
    await within(a.erasure.settled(), 20_000, 'the first table');
    assert.equal(both.waiting, true, 'the other still waits');
    assert.deepEqual(told, [true], 'not done while one table waits');
    b.state.free = true;
    await within(both.settled(), 20_000, 'both tables');
    assert.deepEqual(told, [true, false]);
  } finally {
    a.erasure.close();
    b.erasure.close();
  }
});

test('closed during its try: nothing is told, and nothing is tried afterwards', async () => {
  const { state, erasure } = blocked();
  const told: boolean[] = [];
  erasure.observe((waiting) => told.push(waiting));
  const erasing = erasure.erased();
  erasure.close();
  await erasing;
  const attempts = state.attempts;
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  assert.equal(state.attempts, attempts, 'no retry after closing');
  assert.deepEqual(told, []);
  assert.equal(erasure.waiting, true, 'what waited still waits (done at the next erasure)');
});

test("closing the tables as one stops every table's retry", async () => {
  const a = blocked();
  const b = blocked();
  const both = together([a.erasure, b.erasure]);
  const erasing = Promise.all([a.erasure.erased(), b.erasure.erased()]);
  both.close();
  await erasing;
  const attempts = [a.state.attempts, b.state.attempts];
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  assert.deepEqual([a.state.attempts, b.state.attempts], attempts, 'no retry after closing');
});
