// Proof of work against floods (ALTCHA, via altcha-lib). With JavaScript, the browser (or an API
// client) solves a SHA-256 challenge whose cost grows with the number of declarants it is for and
// with the load. Without JavaScript (Tor Browser "safest"), the form carries a signed ticket
// instead, bound to the client that fetched the form, and is accepted only after it has been open
// a few seconds per declarant: it costs a flood time rather than CPU, and the per-client rate limit
// (which counts declarants) bounds what time can buy. Tickets and solutions are single-use, in a
// ledger the store keeps (so also across restarts and, in a cluster, across nodes). The secrets
// derive from the log's signing key, so every node of a cluster accepts what another issued.
// docs/abuse.md says what this costs an attacker.
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Challenge, createChallenge, randomInt, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';

export interface PowOptions {
  /** Secret material (the signing key's seed). */
  readonly seed: Uint8Array;
  /** Hashes a client computes on average at no load. */
  readonly cost: number;
  /** Seconds per declarant a form without JavaScript must have been open. */
  readonly waitSeconds: number;
  /** 0 (idle) … 1 (saturated): the cost grows up to tenfold with it. */
  readonly load?: () => number;
  readonly now?: () => number;
  /** A ledger shared by the nodes of a cluster: true the first time a token is spent anywhere. */
  readonly spendOnce?: (token: string, expiresAtMs: number) => Promise<boolean>;
}

const TICKET_LIFETIME_S = 3600;
// Issue time (8 bytes), random (16), binding to client and form (8); then a 16-byte MAC.
const TICKET_BODY = 32;

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

  /** A new challenge for a submission of `declarants`: its work grows with them and with the load. */
  challenge(declarants = 1): Promise<Challenge> {
    const load = Math.min(1, Math.max(0, this.#opts.load?.() ?? 0));
    const max = Math.round(this.#opts.cost * declarants * (1 + 9 * load));
    return createChallenge({
      algorithm: 'SHA-256',
      cost: 1,
      counter: randomInt(Math.max(1, Math.floor(max / 2)), max),
      // Signed with the challenge: a solution counts for this many declarants, no more.
      data: { declarants },
      deriveKey,
      expiresAt: Math.floor(this.#now() / 1000) + 600,
      hmacSignatureSecret: this.#challengeSecret,
      hmacKeySignatureSecret: this.#keySecret,
    });
  }

  /** Whether a solved challenge (base64 JSON `{ challenge, solution }`) is valid, unused, and was
   * issued for at least `declarants`. */
  async checkSolution(payload: string | undefined, declarants = 1): Promise<boolean> {
    if (!payload || payload.length > 4096) return false;
    let parsed: { challenge?: Challenge; solution?: { counter: number; derivedKey: string } };
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
    } catch {
      return false;
    }
    if (!parsed.challenge || !parsed.solution) return false;
    const issuedFor = parsed.challenge.parameters?.data?.declarants;
    if (typeof issuedFor !== 'number' || issuedFor < declarants) return false;
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

  /** The 8 bytes that bind a ticket to a client key and to the form it was issued for. */
  #binding(clientKey: string, form: string): Buffer {
    return createHmac('sha256', this.#ticketKey)
      .update(`bind\0${form}\0${clientKey}`)
      .digest()
      .subarray(0, 8);
  }

  #mac(body: Buffer): Buffer {
    return createHmac('sha256', this.#ticketKey).update(body).digest().subarray(0, 16);
  }

  /** A ticket for `form` rendered now for the client `clientKey` (the no-JavaScript path). */
  ticket(clientKey: string, form = 'declare'): string {
    const body = Buffer.alloc(TICKET_BODY);
    body.writeBigUInt64BE(BigInt(this.#now()));
    randomBytes(16).copy(body, 8);
    this.#binding(clientKey, form).copy(body, 24);
    return Buffer.concat([body, this.#mac(body)]).toString('base64url');
  }

  /**
   * Whether a ticket may be spent now by `clientKey` on `form` for `declarants`: `ok` (and spent),
   * `early` (send again after `seconds`), `moved` (issued to another client or form: a fresh one is
   * needed) or `invalid` (forged, stale or spent).
   */
  async checkTicket(
    ticket: string | undefined,
    clientKey: string,
    declarants = 1,
    form = 'declare',
  ): Promise<TicketVerdict> {
    const raw = Buffer.from(ticket ?? '', 'base64url');
    if (raw.length !== TICKET_BODY + 16) return { verdict: 'invalid' };
    const body = raw.subarray(0, TICKET_BODY);
    if (!timingSafeEqual(this.#mac(body), raw.subarray(TICKET_BODY))) return { verdict: 'invalid' };
    const issued = Number(body.readBigUInt64BE());
    const age = (this.#now() - issued) / 1000;
    if (age > TICKET_LIFETIME_S || age < -5) return { verdict: 'invalid' };
    if (!timingSafeEqual(this.#binding(clientKey, form), body.subarray(24)))
      return { verdict: 'moved' };
    const wait = this.#opts.waitSeconds * declarants - age;
    if (wait > 0) return { verdict: 'early', seconds: Math.ceil(wait) };
    return (await this.#once(`t:${raw.toString('base64')}`, issued + TICKET_LIFETIME_S * 1000))
      ? { verdict: 'ok' }
      : { verdict: 'invalid' };
  }
}

export type TicketVerdict =
  | { readonly verdict: 'ok' | 'moved' | 'invalid' }
  | { readonly verdict: 'early'; readonly seconds: number };
