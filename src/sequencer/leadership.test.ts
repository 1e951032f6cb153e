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
