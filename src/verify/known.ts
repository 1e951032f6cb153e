// What a verifier remembers between runs, in the user's config directory: each log's verifier
// key (trusted on first use unless given), the last checkpoint it verified, so that the next run
// can prove the log did not rewrite its history, and where it was read from. A log is known by
// its origin AND its key: two registries that share an origin (two local installs, both
// `localhost/tuidang`) are two logs, not one log that forked.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TuidangError } from '../errors/index.ts';
import { writeAtomically } from './source.ts';

export interface KnownLog {
  vkey: string;
  verified?: { size: number; root: string } | undefined;
  /** The URLs and directories this log was verified from. */
  sources?: string[] | undefined;
}

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'tuidang');
}

/** A verifier key's name: the origin of the log it verifies. */
const originOf = (vkey: string) => vkey.slice(0, Math.max(0, vkey.indexOf('+')));

export class KnownLogs {
  readonly #file: string;
  /** By verifier key, which holds the origin and the key. */
  #logs: Record<string, KnownLog> = {};

  private constructor(file: string) {
    this.#file = file;
  }

  static async load(dir = configDir()): Promise<KnownLogs> {
    const k = new KnownLogs(join(dir, 'logs.json'));
    let saved: Record<string, KnownLog> = {};
    try {
      saved = JSON.parse(await readFile(k.#file, 'utf8')) as Record<string, KnownLog>;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new TuidangError('io', `cannot read ${k.#file}: ${(e as Error).message}`, {
          cause: e,
        });
    }
    // Earlier versions kept one log per origin, under the origin: the same records, by key.
    for (const log of Object.values(saved))
      if (typeof log?.vkey === 'string') k.#logs[log.vkey] = log;
    return k;
  }

  get file(): string {
    return this.#file;
  }

  /** The logs known under `origin`, each with its own key. */
  find(origin: string): KnownLog[] {
    return Object.values(this.#logs).filter((l) => originOf(l.vkey) === origin);
  }

  /** The log of this origin and key, if known. */
  get(vkey: string): KnownLog | undefined {
    return this.#logs[vkey];
  }

  /**
   * The key to verify `origin` read from `source` with: the one remembered for this source (a
   * log whose key changed then fails verification, as it must), else a remembered one equal to
   * what the log publishes, else the only one known, or undefined.
   */
  keyFor(origin: string, source: string, published: string | undefined): string | undefined {
    const logs = this.find(origin);
    return (
      logs.find((l) => l.sources?.includes(source))?.vkey ??
      logs.find((l) => l.vkey === published)?.vkey ??
      (published === undefined && logs.length === 1 ? logs[0]?.vkey : undefined)
    );
  }

  /** Remembers `log` (by its key), adding `source` to where it was read from. */
  async set(log: KnownLog, source?: string): Promise<void> {
    const sources = new Set([...(this.#logs[log.vkey]?.sources ?? []), ...(log.sources ?? [])]);
    if (source !== undefined) sources.add(source);
    this.#logs[log.vkey] = { ...log, sources: [...sources] };
    await writeAtomically(this.#file, `${JSON.stringify(this.#logs, null, 2)}\n`);
  }
}
