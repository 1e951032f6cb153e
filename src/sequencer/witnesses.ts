// Getting witness cosignatures for each publication (c2sp.org/tlog-witness). Witnesses are asked
// only for the checkpoint about to be published, at a publication instant (publisher.ts), so no
// cosignature carries the time of a commit. Each witness gets the log's checkpoints in order, one
// request at a time, with a consistency proof from the size it last cosigned; a witness that falls
// behind skips to the newest. The publisher waits for a quorum at most `timeoutMs`, and never for
// a witness that is failing. A witness that is down never stops declarations: receipts do not wait
// for witnesses. With a required quorum (`required`), a checkpoint without that many cosignatures
// is not published at all, and the public log stays where it was until they answer again.
import { TuidangError } from '../errors/index.ts';
import {
  formatAddCheckpoint,
  formatNote,
  type NoteSignature,
  type NoteVerifier,
  openNote,
  parseNote,
  parseVerifierKey,
  proveConsistency,
  type ReadTiles,
  verifierFromKey,
} from '../log/index.ts';
import { reportWitnessAhead } from './fork-guard.ts';
import { FailureRun, type Telemetry } from './telemetry.ts';

export interface WitnessConfig {
  /** The witness's submission prefix: requests go to `<url>/add-checkpoint`. */
  readonly url: string;
  /** Its verifier key (cosignature/v1, type 0x04). */
  readonly vkey: string;
}

export interface WitnessesOptions {
  readonly witnesses: readonly WitnessConfig[];
  /** Cosignatures to wait for before publishing (at most the number of witnesses). */
  readonly quorum: number;
  /**
   * Cosignatures without which a checkpoint is not published (0, the default: publish with
   * whatever arrived, the best-effort quorum).
   */
  readonly required?: number | undefined;
  /** Longest wait for the quorum, in milliseconds. */
  readonly timeoutMs: number;
}

/** Parses `URL VKEY` pairs separated by `;` or newlines (TUIDANG_WITNESSES). */
export function parseWitnesses(value: string): WitnessConfig[] {
  return value
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((pair) => {
      const [url = '', vkey = '', ...rest] = pair.split(/\s+/);
      if (!/^https?:\/\/\S+$/.test(url) || vkey === '' || rest.length > 0) {
        throw new TuidangError(
          'config',
          `witness "${pair}" must be "URL VKEY", e.g. "https://witness.example/ witness.example+1234abcd+BA…"`,
        );
      }
      if (parseVerifierKey(vkey).type !== 0x04)
        throw new TuidangError('config', `witness key ${vkey} is not a cosignature/v1 key`);
      return { url: url.replace(/\/+$/, ''), vkey };
    });
}

interface Job {
  readonly note: string;
  readonly size: number;
  readonly done: Array<(sig: NoteSignature | undefined) => void>;
}

class Witness {
  readonly url: string;
  readonly verifier: NoteVerifier;
  /** The size this witness last cosigned, as far as we know (it corrects us with a 409). */
  size = 0;
  healthy = true;
  #running = false;
  #next: Job | undefined;
  readonly #readTiles: ReadTiles;
  readonly #failures: FailureRun;
  readonly #t: Telemetry;

  constructor(config: WitnessConfig, readTiles: ReadTiles, t: Telemetry) {
    this.#t = t;
    this.url = config.url;
    this.verifier = verifierFromKey(config.vkey);
    this.#readTiles = readTiles;
    this.#failures = new FailureRun(t, 'witness');
  }

  /** Queues a checkpoint; a newer one replaces one still waiting (which gets no cosignature). */
  submit(note: string, size: number): Promise<NoteSignature | undefined> {
    return new Promise((resolve) => {
      if (this.#next !== undefined) for (const d of this.#next.done) d(undefined);
      this.#next = { note, size, done: [resolve] };
      void this.#run();
    });
  }

  async #run(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    while (this.#next !== undefined) {
      const job = this.#next;
      this.#next = undefined;
      let sig: NoteSignature | undefined;
      try {
        sig = await this.#request(job);
        this.healthy = true;
        this.#failures.succeeded(`witness ${this.url} cosigns`);
      } catch (e) {
        this.healthy = false;
        this.#failures.failed(
          `witness ${this.url} did not cosign the checkpoint of tree size ${job.size}`,
          e,
          'checkpoints go out without its cosignature until it answers',
          { witness: this.url },
        );
      }
      for (const d of job.done) d(sig);
    }
    this.#running = false;
  }

  async #request(job: Job, retried = false): Promise<NoteSignature | undefined> {
    if (this.size > job.size) return undefined; // it has seen a newer checkpoint already
    const proof =
      this.size === 0 ? [] : await proveConsistency(this.#readTiles, this.size, job.size);
    const res = await fetch(`${this.url}/add-checkpoint`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: formatAddCheckpoint({ oldSize: this.size, proof, checkpoint: job.note }),
      signal: AbortSignal.timeout(5000),
    });
    const text = await res.text();
    if (res.status === 409 && !retried && /^\d+\n$/.test(text)) {
      this.size = Number(text.trim());
      if (this.size > job.size) reportWitnessAhead(this.#t, this.url, this.size, job.size);
      return this.#request(job, true);
    }
    if (res.status !== 200)
      throw new TuidangError(
        'unreachable',
        `it answered ${res.status}: ${text.slice(0, 200).trim()}`,
      );
    // Keep only a valid cosignature of this witness on this very checkpoint.
    const opened = openNote(job.note + text, [this.verifier]);
    this.size = job.size;
    const sig = opened.verified[0];
    if (sig === undefined)
      throw new TuidangError('bad-signature', 'its answer holds no valid cosignature of its key');
    return sig;
  }
}

export class Witnesses {
  readonly #witnesses: Witness[];
  readonly #opts: WitnessesOptions;

  readonly #required: number;

  constructor(opts: WitnessesOptions, readTiles: ReadTiles, t: Telemetry) {
    this.#opts = { ...opts, quorum: Math.min(opts.quorum, opts.witnesses.length) };
    this.#required = Math.min(opts.required ?? 0, opts.witnesses.length);
    this.#witnesses = opts.witnesses.map((w) => new Witness(w, readTiles, t));
  }

  /** Cosignatures without which nothing is published (0: best effort). */
  get required(): number {
    return this.#required;
  }

  /**
   * The checkpoint with the cosignatures that arrived by the time a quorum did, every healthy
   * witness answered (with at least the required ones), every witness answered, or `timeoutMs`
   * passed, whichever is first; and how many cosignatures it carries.
   */
  async cosign(note: string, size: number): Promise<{ note: string; cosignatures: number }> {
    const got: NoteSignature[] = [];
    const waitFor = this.#witnesses.filter((w) => w.healthy).length;
    const enough = Math.max(this.#opts.quorum, this.#required);
    await new Promise<void>((resolve) => {
      let answeredHealthy = 0;
      let answered = 0;
      const timer = setTimeout(resolve, this.#opts.timeoutMs);
      const check = () => {
        if (
          got.length >= enough ||
          (answeredHealthy >= waitFor && got.length >= this.#required) ||
          answered >= this.#witnesses.length
        ) {
          clearTimeout(timer);
          resolve();
        }
      };
      for (const w of this.#witnesses) {
        const healthy = w.healthy;
        void w.submit(note, size).then((sig) => {
          if (sig) got.push(sig);
          answered++;
          if (healthy) answeredHealthy++;
          check();
        });
      }
      check();
    });
    if (got.length === 0) return { note, cosignatures: 0 };
    const parsed = parseNote(note);
    return {
      note: formatNote({ text: parsed.text, signatures: [...parsed.signatures, ...got] }),
      cosignatures: got.length,
    };
  }
}
