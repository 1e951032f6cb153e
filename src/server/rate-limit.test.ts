import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter } from './rate-limit.ts';

test('a bucket per client: units refill over the window; other clients unaffected; off at 0', () => {
  let now = Date.UTC(2026, 10, 25, 12);
  const limiter = new RateLimiter(3, 60_000, () => now);
  for (let i = 0; i < 3; i++) assert.equal(limiter.take('192.0.2.1').ok, true);
  assert.deepEqual(limiter.take('192.0.2.1'), { ok: false, retryAfterSeconds: 20 });
  assert.equal(limiter.take('192.0.2.2').ok, true);
  now += 20_000;
  assert.equal(limiter.take('192.0.2.1').ok, true);
  assert.equal(limiter.take('192.0.2.1').ok, false);
  const off = new RateLimiter(0);
  for (let i = 0; i < 100; i++) assert.equal(off.take('192.0.2.1', 50).ok, true);
});

test('units are declarants: one request of 30 spends what 30 requests of one would', () => {
  let now = Date.UTC(2026, 10, 25, 12);
  const limiter = new RateLimiter(30, 60_000, () => now, 50);
  assert.equal(limiter.take('k', 50).ok, true, 'a family of 50 fits the burst');
  assert.deepEqual(limiter.take('k', 1), { ok: false, retryAfterSeconds: 2 });
  now += 60_000;
  assert.equal(limiter.take('k', 30).ok, true, 'a minute refills 30');
  assert.equal(limiter.take('k', 1).ok, false);
  now += 10 * 60_000;
  assert.equal(limiter.take('k', 80).ok, true, 'more than the burst: the whole full bucket');
  assert.deepEqual(limiter.check('k', 80), { ok: false, retryAfterSeconds: 100 });
});

test('check() tells without taking', () => {
  const now = Date.UTC(2026, 10, 25, 12);
  const limiter = new RateLimiter(2, 60_000, () => now);
  for (let i = 0; i < 5; i++) assert.equal(limiter.check('k', 2).ok, true);
  assert.equal(limiter.take('k', 2).ok, true);
  assert.equal(limiter.check('k').ok, false);
});

test('a new UTC day forgets everything (the salt changes)', () => {
  let now = Date.UTC(2026, 10, 25, 23, 59, 30);
  const limiter = new RateLimiter(1, 3_600_000, () => now);
  assert.equal(limiter.take('192.0.2.9').ok, true);
  assert.equal(limiter.take('192.0.2.9').ok, false);
  now = Date.UTC(2026, 10, 26, 0, 0, 1);
  assert.equal(limiter.take('192.0.2.9').ok, true);
});
