// An in-memory store for tests (see memory-log.ts for its fault injection).

import { ComposedStore } from './composed.ts';
import { MemoryCluster, MemoryQueue } from './memory-cluster.ts';
import { MemoryLog } from './memory-log.ts';
import { MemorySite } from './memory-site.ts';
import { MemoryVolunteers } from './volunteers.ts';

export class MemoryStore extends ComposedStore {
  readonly shared = false;
  readonly log: MemoryLog;
  readonly site: MemorySite;
  readonly cluster: MemoryCluster;
  readonly volunteers: MemoryVolunteers;

  constructor() {
    super();
    const queue = new MemoryQueue();
    this.site = new MemorySite();
    this.log = new MemoryLog(this.site, queue);
    this.cluster = new MemoryCluster(queue, this.log, this.site);
    this.volunteers = new MemoryVolunteers();
  }

  /** When set, the next commit fails with this error and changes nothing. */
  get failNextCommit(): Error | undefined {
    return this.log.failNextCommit;
  }
  set failNextCommit(e: Error | undefined) {
    this.log.failNextCommit = e;
  }

  async close(): Promise<void> {}
}
