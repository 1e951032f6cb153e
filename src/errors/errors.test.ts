// The one table from error codes to what the edges do with them, and the base every kind extends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LogError } from '../log/index.ts';
import { ValidationError } from '../registry/index.ts';
import { PoolFullError } from '../sequencer/index.ts';
import { RateLimitedError } from '../server/rate-limit.ts';
import { StoreError } from '../store/index.ts';
import { VerificationError } from '../verify/index.ts';
import { OUTCOMES, outcomeOf, publicMessage, TuidangError } from './index.ts';

test('every code has an HTTP error status and a CLI exit code', () => {
  for (const [code, o] of Object.entries(OUTCOMES)) {
    assert.ok(o.status >= 400 && o.status <= 599, `${code}: status ${o.status}`);
    assert.ok(o.exit === 1 || o.exit === 2, `${code}: exit ${o.exit}`);
    // A fault on our side is never told to the client in its own (internal) words.
    if (o.status === 500) assert.ok('detail' in o, `${code}: a 500 is told in general words`);
  }
});

test('kinds keep their names and are TuidangErrors with a code and a cause', () => {
  const cause = new Error('socket closed');
  const cases: Array<[TuidangError, string, string]> = [
    [new LogError('bad-proof', 'x', { cause }), 'LogError', 'bad-proof'],
    [new StoreError('unavailable', 'x', { cause }), 'StoreError', 'unavailable'],
    [
      new ValidationError([{ pointer: '/language', detail: 'x' }]),
      'ValidationError',
      'invalid-submission',
    ],
    [new PoolFullError('x'), 'PoolFullError', 'pool-full'],
    [
      new VerificationError('tile/0/000', 'x', { cause }),
      'VerificationError',
      'verification-failed',
    ],
  ];
  for (const [e, name, code] of cases) {
    assert.ok(e instanceof TuidangError);
    assert.ok(e instanceof Error);
    assert.equal(e.name, name);
    assert.equal(e.code, code);
  }
  assert.equal(cases[0]?.[0].cause, cause);
});

test('outcomes: the error may say how long to wait; anything else is an internal fault', () => {
  assert.deepEqual(
    [outcomeOf(new RateLimitedError(42)).status, outcomeOf(new RateLimitedError(42)).retryAfter],
    [429, 42],
  );
  assert.equal(outcomeOf(new PoolFullError('full')).retryAfter, 1);
  assert.equal(outcomeOf(new StoreError('unavailable', 'x')).retryAfter, 5);
  assert.equal(outcomeOf(new TypeError('oops')).status, 500);
  assert.equal(outcomeOf(new LogError('malformed-key', 'bad key')).exit, 2);
  assert.equal(outcomeOf(new LogError('bad-signature', 'bad')).exit, 1);
  // Internals are not told to clients; a client's own mistake is.
  assert.doesNotMatch(
    publicMessage(new StoreError('unavailable', 'pg at 10.0.0.5 refused')),
    /10\./,
  );
  assert.doesNotMatch(publicMessage(new TypeError('secret path /srv/x')), /srv/);
  assert.equal(
    publicMessage(new LogError('out-of-range', 'index 9 is outside')),
    'index 9 is outside',
  );
});
