// The three store backends for the contract suites (src/store/{log,site,cluster}.test.ts): each
// case gets a fresh store, and `reopen` gives another object on the same data (a restart, or a
// second node of a cluster); the memory store has none.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519Signer, integrate, signCheckpoint } from '../src/log/index.ts';
import {
  type Commit,
  MemoryStore,
  PostgresStore,
  SqliteStore,
  type Store,
} from '../src/store/index.ts';
import { freshSchema, postgresUrl } from './postgres.ts';

export interface Backend {
  readonly store: Store;
  readonly reopen?: () => Store;
  /** The SQLite data directory. */
  readonly dir?: string;
}

export const backends: Array<[string, () => Backend]> = [
  ['memory', () => ({ store: new MemoryStore() })],
  [
    'postgres',
    () => {
      const schema = freshSchema();
      return {
        store: new PostgresStore(postgresUrl, { schema }),
        reopen: () => new PostgresStore(postgresUrl, { schema }),
      };
    },
  ],
  [
    'sqlite',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'tuidang-store-'));
      return { store: new SqliteStore(dir), reopen: () => new SqliteStore(dir), dir };
    },
  ],
];

/** A PostgreSQL store whose server cannot be reached (nothing listens on port 1). */
export function unreachablePostgres(): PostgresStore {
  return new PostgresStore('postgres://postgres@127.0.0.1:1/test', { schema: freshSchema() });
}

const signer = ed25519Signer('example.org/log', new Uint8Array(32).fill(1));

export const entries = (from: number, n: number): Uint8Array[] =>
  Array.from({ length: n }, (_, i) => new TextEncoder().encode(`entry ${from + i}`));

/** A commit of `n` new entries on the store's current tree, with `extra` fields added. */
export async function nextCommit(
  store: Store,
  n: number,
  extra: Partial<Commit> = {},
): Promise<Commit & { root: Uint8Array }> {
  const { treeSize, totals: stored } = await store.state();
  const totals = structuredClone(stored);
  const r = await integrate(store.readTiles, treeSize, entries(treeSize, n));
  totals.entries += n;
  const checkpoint = signCheckpoint(
    { origin: 'example.org/log', treeSize: r.treeSize, root: r.root },
    signer,
  );
  return {
    oldSize: treeSize,
    newSize: r.treeSize,
    tiles: r.tiles,
    checkpoint,
    totals,
    voided: [],
    ...extra,
    root: r.root,
  };
}

/** Appends `n` entries in one commit; returns the new root. */
export async function append(store: Store, n: number, extra: Partial<Commit> = {}) {
  const c = await nextCommit(store, n, extra);
  await store.commit(c);
  return c.root;
}
