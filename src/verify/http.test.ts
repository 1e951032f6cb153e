// The verifier's one retry rule, for fetch and for node:http alike: three tries at most, again only
// after a thrown error or a 5xx answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TuidangError } from '../errors/index.ts';
import { retried } from './http.ts';

/** A `once` that gives the listed answers (a status, or an error to throw) one after another. */
function answers(...list: Array<number | Error>) {
  const calls = { n: 0 };
  const once = async () => {
    const next = list[calls.n++];
    if (next instanceof Error) throw next;
    return { status: next as number };
  };
  return { calls, once };
}
const failed = (status: number) => new TuidangError('unreachable', `answered ${status}`);

test('an answer under 500 is taken at once, even a 404', async () => {
  for (const status of [200, 404, 429]) {
    const { calls, once } = answers(status, 200);
    assert.equal((await retried(once, failed)).status, status);
    assert.equal(calls.n, 1);
  }
});

test('a 5xx answer or a thrown error is tried again, up to three tries', async () => {
  const flaky = answers(503, new Error('ECONNRESET'), 200);
  assert.equal((await retried(flaky.once, failed)).status, 200);
  assert.equal(flaky.calls.n, 3);

  const down = answers(500, 502, 503, 200);
  const started = performance.now();
  await assert.rejects(retried(down.once, failed), /answered 503/, 'the last try says why');
  // Not at once: a pause of 200 ms before the second try, 800 ms before the third.
  assert.ok(performance.now() - started >= 990, 'pauses between the tries');
  assert.equal(down.calls.n, 3, 'no fourth try');

  const broken = answers(503, 503, new Error('ECONNREFUSED'));
  await assert.rejects(retried(broken.once, failed), /ECONNREFUSED/);
  assert.equal(broken.calls.n, 3);
});
