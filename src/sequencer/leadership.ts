// Which node of a cluster sequences the log: the holder of a session advisory lock on the shared
// PostgreSQL database. Every node tries to take the lock every LEAD_RETRY_MS while it does not hold
// it, says it is alive every HEARTBEAT_MS, and, while it holds the lock, removes the sequenced rows
// of nodes silent for STALE_SECONDS. If the sequencing node dies, its session ends and PostgreSQL
// frees the lock: another node takes it within LEAD_RETRY_MS.
import { TuidangError } from '../errors/index.ts';
import type { ClusterStore, SequencerLock } from '../store/index.ts';
import { count, FailureRun, type Telemetry } from './telemetry.ts';

/**
 * How often a node that does not sequence tries to take the lock. With PostgreSQL freeing the lock
 * as soon as the sequencing process dies, this bounds the takeover: at most this, plus starting the
 * writer, one commit and one answer (the failover test measures it, well under 1.5 s).
 */
const LEAD_RETRY_MS = 250;
/** Every node says it is alive this often; a node silent for STALE_SECONDS is taken for dead. */
const HEARTBEAT_MS = 5000;
const STALE_SECONDS = 60;
/** How often the sequencing node removes the sequenced rows of dead nodes. */
export const RECLAIM_MS = 30_000;

/** What the node does when it takes or loses the right to sequence. */
export interface Leader {
  /** The lock is taken: get ready to sequence (throwing gives the lock back); the tree size. */
  start(): Promise<number>;
  /** This node sequences from now on. */
  leading(): void;
  /** This node no longer sequences: its database session ended. */
  lost(): void;
}

export class Leadership {
  readonly #queue: ClusterStore;
  readonly #t: Telemetry;
  readonly #now: () => number;
  readonly #leader: Leader;
  readonly #reclaimMs: number;
  #lock: SequencerLock | undefined;
  /** A #tryLead is under way (timers must not start a second one meanwhile). */
  #trying = false;
  /** The #tryLead under way, if any: release() waits for it, so that no lock it takes is kept. */
  #attempt: Promise<void> | undefined;
  #stopped = false;
  #timers: NodeJS.Timeout[] = [];
  readonly #leadFailures: FailureRun;
  readonly #heartbeatFailures: FailureRun;
  readonly #reclaimFailures: FailureRun;

  constructor(
    queue: ClusterStore,
    t: Telemetry,
    now: () => number,
    leader: Leader,
    reclaimMs: number,
  ) {
    this.#queue = queue;
    this.#t = t;
    this.#now = now;
    this.#leader = leader;
    this.#reclaimMs = reclaimMs;
    this.#leadFailures = new FailureRun(t, 'lead');
    this.#heartbeatFailures = new FailureRun(t, 'heartbeat');
    this.#reclaimFailures = new FailureRun(t, 'reclaim');
    t.metrics.leader(false);
  }

  /** Says this node is alive, tries once to take the lock, then keeps doing both on timers. */
  async begin(): Promise<void> {
    await this.#heartbeat();
    await this.#tryLead();
    this.#timers.push(
      setInterval(() => void this.#tryLead(), LEAD_RETRY_MS),
      setInterval(() => void this.#heartbeat(), HEARTBEAT_MS),
      setInterval(() => void this.#reclaim(), this.#reclaimMs),
    );
    for (const t of this.#timers) t.unref();
  }

  /** Whether this node currently holds the right to sequence. */
  get isLeader(): boolean {
    return this.#lock !== undefined;
  }

  /** This node cannot reach the database: its heartbeats fail. */
  get heartbeatsFail(): boolean {
    return this.#heartbeatFailures.failing;
  }

  /** The node is shutting down: it no longer tries to take the lock (it keeps one it holds). */
  stopTrying(): void {
    this.#stopped = true;
  }

  /** Stops the timers and gives the lock back, if held. Never throws. */
  async release(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#timers) clearInterval(t);
    // A lock being taken meanwhile is given back by the attempt itself (it sees #stopped).
    await this.#attempt;
    const lock = this.#lock;
    this.#lock = undefined;
    if (lock === undefined) return;
    this.#t.metrics.leader(false);
    this.#t.logger.info({ leader: false }, 'this node stops sequencing the log');
    // Ends a database connection; a connection that is gone is closed anyway.
    await lock.release();
  }

  #tryLead(): Promise<void> {
    if (this.#lock !== undefined || this.#stopped || this.#trying) return Promise.resolve();
    this.#attempt = this.#lead().finally(() => {
      this.#attempt = undefined;
    });
    return this.#attempt;
  }

  async #lead(): Promise<void> {
    this.#trying = true;
    let lock: SequencerLock | undefined;
    let ended = false;
    try {
      lock = await this.#queue.lockSequencer(() => {
        ended = true;
        if (this.#lock !== lock || lock === undefined) return;
        this.#lock = undefined;
        this.#t.metrics.leader(false);
        this.#t.logger.warn(
          { leader: false },
          'this node no longer sequences the log: its database session ended; another node takes over',
        );
        this.#leader.lost();
      });
      this.#leadFailures.succeeded('taking the sequencer lock works');
      if (lock === undefined) return;
      // Granted after the node stopped (it shuts down): given back, so that another node leads.
      if (this.#stopped) {
        await lock.release();
        return;
      }
      const treeSize = await this.#leader.start();
      // A session that ended meanwhile holds no lock: this node must not sequence on it.
      if (ended) throw new TuidangError('unavailable', 'the database session ended while starting');
      if (this.#stopped) {
        await lock.release();
        return;
      }
      this.#lock = lock;
      this.#t.metrics.leader(true);
      this.#t.logger.info(
        { leader: true, treeSize },
        `this node now sequences the log, from tree size ${treeSize}`,
      );
      this.#leader.leading();
    } catch (e) {
      // The lock is released (if it was taken) so that another node may sequence.
      await lock?.release();
      this.#leadFailures.failed(
        lock === undefined
          ? 'trying to take the sequencer lock failed'
          : 'starting to sequence failed after taking the lock',
        e,
        `trying again in ${LEAD_RETRY_MS} ms`,
      );
    } finally {
      this.#trying = false;
    }
  }

  /** Tells the other nodes that this one is alive (its pending rows are not to be reclaimed). */
  async #heartbeat(): Promise<void> {
    try {
      await this.#queue.heartbeat(this.#now());
      this.#heartbeatFailures.succeeded('heartbeats work');
    } catch (e) {
      this.#heartbeatFailures.failed(
        'recording that this node is alive failed',
        e,
        `trying again in ${HEARTBEAT_MS} ms; after ${STALE_SECONDS} s without one, the sequencing node takes this node for dead and removes its answered-for rows`,
      );
    }
  }

  /**
   * As the leader: removes the sequenced rows of nodes that died before answering. Their
   * declarants' receipts can no longer be delivered, and the rows hold entries and sealed salts.
   */
  async #reclaim(): Promise<void> {
    if (this.#lock === undefined) return;
    try {
      const rows = await this.#queue.reclaimPending(this.#now() - STALE_SECONDS);
      this.#reclaimFailures.succeeded('reclaiming pending rows works');
      if (rows === 0) return;
      this.#t.metrics.reclaimed(rows);
      this.#t.logger.warn(
        { reclaimed: rows },
        `removed ${count(rows, 'sequenced submission', 'sequenced submissions')} of nodes that stopped before answering: the entries are logged, their receipts could not be delivered`,
      );
    } catch (e) {
      this.#reclaimFailures.failed(
        'removing the pending rows of stopped nodes failed',
        e,
        `trying again in ${this.#reclaimMs} ms`,
      );
    }
  }
}
