// Where a verifier reads a log from: a registry or any tlog-tiles prefix over HTTP, or a mirror
// directory. Everything read here is attacker-controlled until verified.
import { readFile as readFileCallback } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { TuidangError } from '../errors/index.ts';
import { narrowTile, type ReadTiles, TILE_WIDTH, type Tile, tilePath } from '../log/index.ts';
import { getBytes, reason, retried } from './http.ts';

/** The log could not be read (network, missing file): exit code 2, not a verification failure. */
export class SourceError extends TuidangError<'unreachable'> {
  override name = 'SourceError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('unreachable', message, options);
  }
}

export interface LogSource {
  /** A URL or directory, for messages. */
  readonly description: string;
  /** The signed checkpoint. */
  checkpoint(): Promise<string>;
  /** The log's verifier key if the source publishes one (a registry's /log/vkey, a mirror's vkey). */
  vkey(): Promise<string | undefined>;
  /** A tile or entry bundle at exactly the given width. */
  tile(t: Tile): Promise<Uint8Array>;
  /** Drops a cached copy of a tile that failed verification, so that a rerun fetches it again. */
  forget?(path: string): Promise<void>;
  /** Whether the last read of this tile path was answered from the local cache. */
  cached?(path: string): boolean;
  /** A registry's own totals and checkpoint (/api/v1/stats); undefined for a plain log or mirror. */
  stats(): Promise<{ treeSize: number; checkpoint: string | null; totals: unknown } | undefined>;
  /**
   * A page of the registry's site (`/en/stats.csv`): its status and text; undefined for a plain
   * log or a mirror, which have no site.
   */
  page?(path: string): Promise<{ status: number; text: string }>;
  /** Whether the source is a registry, with /api/v1/stats and pages. */
  readonly registry?: boolean;
}

// The callback form: a verification reads two files a bundle, millions of them, and the promise
// form's file handles cost the reading thread more than the reads (a quarter of its time).
const readFile = promisify(readFileCallback);

async function readOptional(path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SourceError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

/** Writes a file atomically: a reader sees the old file or the new one, never part of one. */
export async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

export class DirSource implements LogSource {
  readonly description: string;
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
    this.description = dir;
  }

  async checkpoint(): Promise<string> {
    const b = await readOptional(join(this.#dir, 'checkpoint'));
    if (b === undefined)
      throw new SourceError(`${this.#dir} has no checkpoint file: is it a log mirror?`);
    return new TextDecoder().decode(b);
  }

  async vkey(): Promise<string | undefined> {
    const b = await readOptional(join(this.#dir, 'vkey'));
    return b && new TextDecoder().decode(b).trim();
  }

  /** A file beside the log (the verifier), or undefined. `name` is ours, never a visitor's. */
  async file(name: string): Promise<Uint8Array | undefined> {
    return readOptional(join(this.#dir, name));
  }

  async tile(t: Tile): Promise<Uint8Array> {
    const exact = await readOptional(join(this.#dir, tilePath(t)));
    if (exact !== undefined) return exact;
    if (t.width < TILE_WIDTH) {
      const full = await readOptional(join(this.#dir, tilePath({ ...t, width: TILE_WIDTH })));
      if (full !== undefined) return narrowTile(t, full);
    }
    throw new SourceError(`${join(this.#dir, tilePath(t))} is missing`);
  }

  async stats() {
    return undefined;
  }
}

export interface HttpSourceOptions {
  /** A directory where tiles are kept once fetched, at their tlog-tiles paths. */
  readonly cacheDir?: string | undefined;
  /** Keep partial tiles too (a mirror does); by default only full tiles, which never change. */
  readonly cachePartial?: boolean;
}

export class HttpSource implements LogSource {
  readonly description: string;
  readonly #log: string;
  readonly #api: string | undefined;
  readonly #opts: HttpSourceOptions;
  /** Paths whose last read came from the cache directory, not from the log. */
  readonly #fromCache = new Set<string>();

  /** `logPrefix` serves checkpoint and tile/; `apiBase`, if a registry, serves /api/v1/. */
  constructor(logPrefix: string, apiBase: string | undefined, opts: HttpSourceOptions = {}) {
    this.#log = logPrefix.replace(/\/+$/, '');
    this.#api = apiBase?.replace(/\/+$/, '');
    this.#opts = opts;
    this.description = this.#log;
  }

  /**
   * A source for what a user typed: a registry's address (its log under /log/) or a log prefix.
   */
  static async resolve(url: string, opts: HttpSourceOptions = {}): Promise<HttpSource> {
    const base = url.replace(/\/+$/, '');
    if ((await fetchWithRetry(`${base}/log/checkpoint`)).status === 200)
      return new HttpSource(`${base}/log`, base, opts);
    if ((await fetchWithRetry(`${base}/checkpoint`)).status === 200)
      return new HttpSource(base, undefined, opts);
    throw new SourceError(
      `no log at ${base}: neither ${base}/log/checkpoint nor ${base}/checkpoint answers`,
    );
  }

  async checkpoint(): Promise<string> {
    return new TextDecoder().decode(await this.#get('checkpoint'));
  }

  async vkey(): Promise<string | undefined> {
    const res = await fetchWithRetry(`${this.#log}/vkey`);
    return res.status === 200 ? (await res.text()).trim() : undefined;
  }

  /** A file the log serves beside its tiles (the verifier), or undefined if it serves none. */
  async file(name: string): Promise<Uint8Array | undefined> {
    const res = await fetchWithRetry(`${this.#log}/${name}`);
    return res.status === 200 ? new Uint8Array(await res.arrayBuffer()) : undefined;
  }

  get registry(): boolean {
    return this.#api !== undefined;
  }

  async page(path: string): Promise<{ status: number; text: string }> {
    const res = await fetchWithRetry(`${this.#api ?? this.#log}${path}`);
    return { status: res.status, text: await res.text() };
  }

  async stats() {
    if (this.#api === undefined) return undefined;
    const res = await fetchWithRetry(`${this.#api}/api/v1/stats`);
    if (res.status !== 200) return undefined;
    return (await res.json()) as { treeSize: number; checkpoint: string | null; totals: unknown };
  }

  async tile(t: Tile): Promise<Uint8Array> {
    const path = tilePath(t);
    const cacheable =
      this.#opts.cacheDir !== undefined && (t.width === TILE_WIDTH || this.#opts.cachePartial);
    if (cacheable) {
      const cached = await readOptional(join(this.#opts.cacheDir as string, path));
      if (cached !== undefined) {
        this.#fromCache.add(path);
        return cached;
      }
    }
    this.#fromCache.delete(path);
    const data = await this.#get(path);
    if (cacheable) await writeAtomically(join(this.#opts.cacheDir as string, path), data);
    return data;
  }

  async forget(path: string): Promise<void> {
    this.#fromCache.delete(path);
    if (this.#opts.cacheDir !== undefined)
      await rm(join(this.#opts.cacheDir, path), { force: true });
  }

  cached(path: string): boolean {
    return this.#fromCache.has(path);
  }

  async #get(path: string): Promise<Uint8Array> {
    const url = `${this.#log}/${path}`;
    let res: Awaited<ReturnType<typeof getBytes>>;
    try {
      res = await getBytes(url);
    } catch (e) {
      throw new SourceError(`cannot fetch ${url}: ${reason(e)}`);
    }
    if (res.status !== 200) throw new SourceError(`${url} answered ${res.status}`);
    return res.body;
  }
}

/** fetch, {@link retried} on network errors and 5xx answers, each try cut off after 30 s. */
export async function fetchWithRetry(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await retried(
      () => fetch(url, { ...init, signal: AbortSignal.timeout(30_000) }),
      (status) => new SourceError(`${url} answered ${status}`),
    );
  } catch (e) {
    throw new SourceError(`cannot fetch ${url}: ${reason(e)}`);
  }
}

/** A {@link ReadTiles} over a source, for proofs. */
export function readTilesOf(source: LogSource): ReadTiles {
  return (tiles) => Promise.all(tiles.map((t) => source.tile(t)));
}
