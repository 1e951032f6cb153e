// An in-memory store for tests (see memory-log.ts for its fault injection). The store is its log;
// the site, the cluster capability and the volunteers' ledger are parts.
import { MemoryCluster, MemoryQueue } from './memory-cluster.ts';
import { MemoryLog } from './memory-log.ts';
import { MemorySite } from './memory-site.ts';
import type { Store } from './store.ts';
import { MemoryVolunteers } from './volunteers.ts';

export class MemoryStore extends MemoryLog implements Store {
  readonly shared = false;
  readonly site: MemorySite;
  readonly cluster: MemoryCluster;
  readonly volunteers: MemoryVolunteers;

  constructor() {
    const queue = new MemoryQueue();
    const site = new MemorySite();
    super(site, queue);
    this.site = site;
    this.cluster = new MemoryCluster(queue, this, site);
    this.volunteers = new MemoryVolunteers();
  }

  async close(): Promise<void> {}
}
