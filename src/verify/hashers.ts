// The leaf and node hashing of a whole-log verification, on threads of their own: each entry
// bundle's entries hashed and compared with its level-0 tile, and the tile's 256 hashes folded into
// the level-1 hash above them. That is nearly all of a verifier's SHA-256 work, and one thread
// doing it alone runs at well under half the speed of the hashing by itself; with the hashing on
// other cores, the verifying thread only decodes, recounts and builds the levels above.
//
// A hasher only says "these entries match their hashes" (and the root above them): a mismatch, or a
// bundle it could not read, is checked again on the verifying thread, which finds out which file is
// wrong and says so.
import { type MessagePort, Worker } from 'node:worker_threads';
import { TuidangError } from '../errors/index.ts';
import { HASH_SIZE, parseEntryBundle, subtreeHashInto, TILE_WIDTH } from '../log/index.ts';
import { firstMismatch } from './verify.ts';

/** What a hasher found: every entry matches the level-0 tile, and (for a full tile) its root. */
export interface BundleCheck {
  readonly matches: boolean;
  /** The level-1 hash over a full level-0 tile whose entries all match. */
  readonly root?: Uint8Array;
}

/** Checks one bundle against its level-0 tile; undefined if it could not be read as one. */
export type CheckBundle = (
  bundle: Uint8Array,
  level0: Uint8Array,
  width: number,
) => Promise<BundleCheck | undefined>;

/** The check itself, on whichever thread runs it. */
export function checkBundle(
  bundle: Uint8Array,
  level0: Uint8Array,
  width: number,
): BundleCheck | undefined {
  if (level0.length !== width * HASH_SIZE) return undefined;
  let entries: Uint8Array[];
  try {
    entries = parseEntryBundle(bundle, width);
  } catch {
    return undefined;
  }
  if (firstMismatch(entries, level0).bad >= 0) return { matches: false };
  if (width !== TILE_WIDTH) return { matches: true };
  const root = new Uint8Array(HASH_SIZE);
  subtreeHashInto(root, 0, level0, 0, TILE_WIDTH);
  return { matches: true, root };
}

interface Request {
  readonly id: number;
  readonly bundle: Uint8Array;
  readonly level0: Uint8Array;
  readonly width: number;
}

interface Reply {
  readonly id: number;
  readonly check: BundleCheck | undefined;
}

/** What a hasher thread is told in its workerData. */
export const HASHER_ROLE = 'hasher';

/**
 * Heap limits of a hasher: it keeps nothing between two bundles, so a small young generation
 * (4 MiB) is collected often and cheaply. With 16 a hasher's heap took 25 MiB of memory, with 4
 * 15, and a 10 M log verified over HTTP in 51 s rather than 62 (peak RSS 247 against 265 MiB).
 */
const LIMITS = { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 };

/**
 * `count` hasher threads running `script` (which must call {@link serveHasher} when its
 * workerData is {@link HASHER_ROLE}); bundles go to them in turn.
 */
export function startHashers(
  script: URL,
  count: number,
): { check: CheckBundle; close(): Promise<void> } {
  const pending = new Map<
    number,
    { resolve: (c: BundleCheck | undefined) => void; reject: (e: Error) => void }
  >();
  let failed: Error | undefined;
  let closing = false;
  const fail = (e: Error) => {
    failed ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  const workers = Array.from({ length: count }, () => {
    const w = new Worker(script, { workerData: HASHER_ROLE, resourceLimits: LIMITS });
    w.on('message', (m: Reply) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      p?.resolve(m.check);
    });
    w.on('error', fail);
    w.on('exit', (code) => {
      if (!closing) fail(new TuidangError('internal', `a hashing thread exited (${code})`));
    });
    return w;
  });
  let next = 0;
  return {
    check(bundle, level0, width) {
      if (failed) return Promise.reject(failed);
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        const request: Request = { id, bundle, level0, width };
        (workers[id % count] as Worker).postMessage(request);
      });
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** The hasher thread's loop: a check for each bundle it is sent. */
export function serveHasher(port: MessagePort): void {
  port.on('message', (m: Request) => {
    const reply: Reply = { id: m.id, check: checkBundle(m.bundle, m.level0, m.width) };
    port.postMessage(reply);
  });
}
