// Proof of work against floods (ALTCHA, via altcha-lib). With JavaScript, the browser (or an API
// client) solves a SHA-256 challenge whose cost rises with the load. Without JavaScript (Tor
// Browser "safest"), the form carries a signed ticket instead, and is accepted only after it has
// been open a few seconds: it costs a flood time rather than CPU, and the per-address rate limit
// bounds what time can buy. Tickets and solutions are single-use. The secrets derive from the
// log's signing key, so every node of a cluster accepts what another issued; with a shared ledger
// (PostgreSQL's spent_tokens) a token spent on one node is refused on every other.
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { type Challenge, createChallenge, randomInt, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';

export interface PowOptions {
  /** Secret material (the signing key's seed). */
  readonly seed: Uint8Array;
  /** Hashes a client computes on average at no load. */
  readonly cost: number;
  /** Seconds a form without JavaScript must have been open. */
  readonly waitSeconds: number;
  /** 0 (idle) … 1 (saturated): the cost grows up to tenfold with it. */
  readonly load?: () => number;
  readonly now?: () => number;
  /** A ledger shared by the nodes of a cluster: true the first time a token is spent anywhere. */
  readonly spendOnce?: (token: string, expiresAtMs: number) => Promise<boolean>;
}

const TICKET_LIFETIME_S = 3600;

export class ProofOfWork {
  readonly #challengeSecret: string;
  readonly #keySecret: string;
  readonly #ticketKey: Buffer;
  readonly #opts: PowOptions;
  readonly #used = new Map<string, number>();

  constructor(opts: PowOptions) {
    const derive = (info: string) =>
      Buffer.from(hkdfSync('sha256', opts.seed, new Uint8Array(0), info, 32));
    this.#challengeSecret = derive('tuidang/pow/challenge/v1').toString('base64');
    this.#keySecret = derive('tuidang/pow/key/v1').toString('base64');
    this.#ticketKey = derive('tuidang/pow/ticket/v1');
    this.#opts = opts;
  }

  get waitSeconds(): number {
    return this.#opts.waitSeconds;
  }

  #now(): number {
    return (this.#opts.now ?? Date.now)();
  }

  /** Remembers a token until it expires; false if it was used already (here or, with a shared
   * ledger, on another node). */
  async #once(token: string, expiresAtMs: number): Promise<boolean> {
    const now = this.#now();
    if (this.#used.size > 50_000)
      for (const [k, e] of this.#used) if (e < now) this.#used.delete(k);
    if (this.#used.has(token)) return false;
    this.#used.set(token, expiresAtMs);
    return this.#opts.spendOnce ? this.#opts.spendOnce(token, expiresAtMs) : true;
  }

  /** A new challenge; harder under load. */
  challenge(): Promise<Challenge> {
    const load = Math.min(1, Math.max(0, this.#opts.load?.() ?? 0));
    const max = Math.round(this.#opts.cost * (1 + 9 * load));
    return createChallenge({
      algorithm: 'SHA-256',
      cost: 1,
      counter: randomInt(Math.max(1, Math.floor(max / 2)), max),
      deriveKey,
      expiresAt: Math.floor(this.#now() / 1000) + 600,
      hmacSignatureSecret: this.#challengeSecret,
      hmacKeySignatureSecret: this.#keySecret,
    });
  }

  /** Whether a solved challenge (base64 JSON `{ challenge, solution }`) is valid and unused. */
  async checkSolution(payload: string | undefined): Promise<boolean> {
    if (!payload || payload.length > 4096) return false;
    let parsed: { challenge?: Challenge; solution?: { counter: number; derivedKey: string } };
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
    } catch {
      return false;
    }
    if (!parsed.challenge || !parsed.solution) return false;
    const result = await verifySolution({
      challenge: parsed.challenge,
      solution: parsed.solution,
      deriveKey,
      hmacSignatureSecret: this.#challengeSecret,
      hmacKeySignatureSecret: this.#keySecret,
    }).catch(() => undefined);
    if (!result?.verified) return false;
    return this.#once(
      `s:${parsed.challenge.signature}`,
      (parsed.challenge.parameters.expiresAt ?? 0) * 1000,
    );
  }

  /** A ticket for a form rendered now (the no-JavaScript path). */
  ticket(): string {
    const body = Buffer.alloc(8 + 16);
    body.writeBigUInt64BE(BigInt(this.#now()));
    randomBytes(16).copy(body, 8);
    const mac = createHmac('sha256', this.#ticketKey).update(body).digest().subarray(0, 16);
    return Buffer.concat([body, mac]).toString('base64url');
  }

  /** `ok`, or why a ticket is refused: `early` (wait and send again) or `invalid`. */
  async checkTicket(ticket: string | undefined): Promise<'ok' | 'early' | 'invalid'> {
    const raw = Buffer.from(ticket ?? '', 'base64url');
    if (raw.length !== 40) return 'invalid';
    const body = raw.subarray(0, 24);
    const mac = createHmac('sha256', this.#ticketKey).update(body).digest().subarray(0, 16);
    if (!mac.equals(raw.subarray(24))) return 'invalid';
    const issued = Number(body.readBigUInt64BE());
    const age = (this.#now() - issued) / 1000;
    if (age > TICKET_LIFETIME_S) return 'invalid';
    if (age < this.#opts.waitSeconds) return 'early';
    return (await this.#once(`t:${raw.toString('base64')}`, issued + TICKET_LIFETIME_S * 1000))
      ? 'ok'
      : 'invalid';
  }
}
