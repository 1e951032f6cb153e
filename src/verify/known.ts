// What a verifier remembers between runs, in the user's config directory: each log's verifier
// key (trusted on first use unless given) and the last checkpoint it verified, so that the next
// run can prove the log did not rewrite its history.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TuidangError } from '../errors/index.ts';
import { writeAtomically } from './source.ts';

export interface KnownLog {
  vkey: string;
  verified?: { size: number; root: string } | undefined;
}

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'tuidang');
}

export class KnownLogs {
  readonly #file: string;
  #logs: Record<string, KnownLog> = {};

  private constructor(file: string) {
    this.#file = file;
  }

  static async load(dir = configDir()): Promise<KnownLogs> {
    const k = new KnownLogs(join(dir, 'logs.json'));
    try {
      k.#logs = JSON.parse(await readFile(k.#file, 'utf8')) as Record<string, KnownLog>;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new TuidangError('io', `cannot read ${k.#file}: ${(e as Error).message}`, {
          cause: e,
        });
    }
    return k;
  }

  get file(): string {
    return this.#file;
  }

  get(origin: string): KnownLog | undefined {
    return this.#logs[origin];
  }

  async set(origin: string, log: KnownLog): Promise<void> {
    this.#logs[origin] = log;
    await writeAtomically(this.#file, `${JSON.stringify(this.#logs, null, 2)}\n`);
  }
}
