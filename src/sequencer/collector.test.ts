import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import type { Store } from '../store/index.ts';
import { Collector } from './collector.ts';
import type { Waiting } from './declarations.ts';
import { telemetry } from './telemetry.ts';

test('a pass that fails (the database is down) is retried by the poll, not at once in a loop', async () => {
  let reads = 0;
  const store = {
    cluster: {
      sequenced: async () => {
        reads++;
        throw new Error('connection refused');
      },
    },
  } as unknown as Store;
  const t = telemetry({ logger: pino({ level: 'silent' }) });
  const collector = new Collector(store, t, () => 0);
  const w = { entries: [], salts: [], idempotency: undefined } as unknown as Waiting;
  collector.wait({
    id: 1,
    w: { ...w, resolve: () => {}, reject: () => {} },
  });
  try {
    await collector.collect();
    await sleep(100);
    // The node's poll (every POLL_MS) starts the next pass; none runs here. Before, a failed pass
    // started the next on the spot: thousands of reads a second against a database that is down.
    assert.ok(reads <= 2, `${reads} reads in 100 ms`);
  } finally {
    collector.rejectAll(new Error('stopped'));
  }
});
