import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import type { ClusterStore } from '../store/index.ts';
import { Leadership } from './leadership.ts';
import { telemetry } from './telemetry.ts';

/** A queue whose lock is granted, and whose session ends while the node gets ready if `endEarly`. */
function queue(endEarly: boolean) {
  const events: string[] = [];
  let lost: (() => void) | undefined;
  const store = {
    heartbeat: async () => {},
    reclaimPending: async () => 0,
    lockSequencer: async (onLost?: () => void) => {
      lost = onLost;
      return {
        release: async () => {
          events.push('released');
        },
      };
    },
  } as unknown as ClusterStore;
  return { store, events, endSession: () => lost?.(), endEarly };
}

for (const endEarly of [false, true])
  test(`a lock whose session ends ${endEarly ? 'while the node gets ready is given back, not used' : 'after the node took it is lost'}`, async () => {
    const q = queue(endEarly);
    const lines: string[] = [];
    const t = telemetry({ logger: pino({ base: null }, { write: (l: string) => lines.push(l) }) });
    const leadership = new Leadership(
      q.store,
      t,
      () => 0,
      {
        start: async () => {
          if (endEarly) q.endSession();
          return 7;
        },
        leading: () => q.events.push('leading'),
        lost: () => q.events.push('lost'),
      },
      60_000,
    );
    await leadership.begin();
    try {
      if (endEarly) {
        assert.equal(leadership.isLeader, false);
        assert.deepEqual(q.events, ['released']);
        assert.match(lines.join(''), /starting to sequence failed after taking the lock/);
      } else {
        assert.equal(leadership.isLeader, true);
        assert.match(lines.join(''), /this node now sequences the log, from tree size 7/);
        q.endSession();
        assert.equal(leadership.isLeader, false);
        assert.deepEqual(q.events, ['leading', 'lost']);
      }
    } finally {
      await leadership.release();
    }
  });

test('a lock granted after the node released leadership (it shuts down) is given back, not used', async () => {
  const events: string[] = [];
  const granted = Promise.withResolvers<void>();
  const asked = Promise.withResolvers<void>();
  const store = {
    heartbeat: async () => {},
    reclaimPending: async () => 0,
    lockSequencer: async () => {
      asked.resolve();
      await granted.promise;
      return {
        release: async () => {
          events.push('released');
        },
      };
    },
  } as unknown as ClusterStore;
  const leadership = new Leadership(
    store,
    telemetry({ logger: pino({ level: 'silent' }) }),
    () => 0,
    {
      start: async () => 7,
      leading: () => events.push('leading'),
      lost: () => events.push('lost'),
    },
    60_000,
  );
  const begun = leadership.begin();
  await asked.promise;
  // The node shuts down while its request for the lock waits on the database.
  const released = leadership.release();
  granted.resolve();
  await Promise.all([begun, released]);
  assert.equal(leadership.isLeader, false);
  // Before, the lock was taken and kept by a node that had stopped: no other node could sequence.
  assert.deepEqual(events, ['released']);
});
