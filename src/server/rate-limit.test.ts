import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter } from './rate-limit.ts';

test('a window per address; other addresses unaffected; the window resets; off at 0', () => {
  let now = Date.UTC(2026, 10, 25, 12);
  const limiter = new RateLimiter(3, 60_000, () => now);
  for (let i = 0; i < 3; i++) assert.equal(limiter.take('192.0.2.1').ok, true);
  const refused = limiter.take('192.0.2.1');
  assert.deepEqual(refused, { ok: false, retryAfterSeconds: 60 });
  assert.equal(limiter.take('192.0.2.2').ok, true);
  now += 60_000;
  assert.equal(limiter.take('192.0.2.1').ok, true);
  const off = new RateLimiter(0);
  for (let i = 0; i < 100; i++) assert.equal(off.take('192.0.2.1').ok, true);
});

test('a new UTC day forgets everything (the salt changes)', () => {
  let now = Date.UTC(2026, 10, 25, 23, 59, 30);
  const limiter = new RateLimiter(1, 3_600_000, () => now);
  assert.equal(limiter.take('192.0.2.9').ok, true);
  assert.equal(limiter.take('192.0.2.9').ok, false);
  now = Date.UTC(2026, 10, 26, 0, 0, 1);
  assert.equal(limiter.take('192.0.2.9').ok, true);
});
