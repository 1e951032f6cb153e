// In-process notices of the cluster queue (memory and SQLite stores; PostgreSQL uses LISTEN).
import { EventEmitter } from 'node:events';
import type { QueueListener } from './store.ts';

export class QueueNotices extends EventEmitter<{ pending: []; sequenced: [] }> {
  /** Calls the handlers on this process's notices until the listener is closed. */
  listen(on: { pending?: () => void; sequenced?: () => void }): QueueListener {
    const pending = () => on.pending?.();
    const sequenced = () => on.sequenced?.();
    this.on('pending', pending);
    this.on('sequenced', sequenced);
    return {
      close: async () => {
        this.off('pending', pending);
        this.off('sequenced', sequenced);
      },
    };
  }
}
