// Proof of work against floods (ALTCHA's challenge format, via altcha-lib). With JavaScript, the
// browser (or an API client) solves a memory-hard challenge: it looks for a counter whose scrypt
// key (N = 4,096, r = 8: 4 MiB of memory an evaluation) starts with a given prefix, and the work
// grows with the number of declarants it is for and with the load. scrypt, not SHA-256: a native
// solver computes SHA-256 some 30 times faster than a phone's browser, scrypt only a few times
// faster (bench/stuffing.ts measures both; docs/abuse.md has the figures).
//
// The server's cost stays small and bounded. It derives one key when it issues a challenge (the
// counter it picked; a few milliseconds on the thread pool, at most MAX_DERIVING at once, and the
// routes limit how many challenges a client may ask for) and signs it; checking a solution is then
// two HMACs and never an scrypt evaluation, whatever is sent: the parameters, expiry and signature
// are checked first, and a solution without a key signature is refused rather than re-derived.
//
// Without JavaScript (Tor Browser "safest"), the form carries a signed ticket instead, bound to the
// client that fetched the form, and accepted only after it has been open a few seconds per
// declarant, counted from the first form the person got: a form sent back (a missing field, sent
// too early) is rendered again with the same ticket, so an error never restarts the wait. A
// client's tickets wait one after another, not side by side: forty tickets fetched at once do not
// all ripen after one wait. It costs a flood time rather than CPU, and the per-client
// rate limit (which counts declarants) bounds what time can buy. Tickets and solutions are
// single-use, in a ledger the store keeps (so also across restarts and, in a cluster, across
// nodes). The secrets derive from the log's signing key, so every node of a cluster accepts what
// another issued. docs/abuse.md says what this costs an attacker.
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Challenge, createChallenge, randomInt, verifySolution } from 'altcha-lib';
import { deriveKey as scryptKey } from 'altcha-lib/algorithms/scrypt';
import { TuidangError } from '../errors/index.ts';

/** The puzzle's memory-hard function: scrypt with these parameters, a 32-byte key. */
export const SCRYPT = { algorithm: 'SCRYPT', N: 4096, r: 8, p: 1, keyLength: 32 } as const;

/** Challenges whose key is being derived at once; more are refused (503) until some are done. */
export const MAX_DERIVING = 16;

export interface PowOptions {
  /** Secret material (the signing key's seed). */
  readonly seed: Uint8Array;
  /** scrypt evaluations a client computes on average per declarant, at no load. */
  readonly cost: number;
  /** Seconds per declarant a form without JavaScript must have been open. */
  readonly waitSeconds: number;
  /** scrypt's N (a power of two; memory is 1 KiB times N): SCRYPT.N unless a test says less. */
  readonly scryptN?: number;
  /** 0 (idle) … 1 (saturated): the cost grows up to tenfold with it. */
  readonly load?: () => number;
  readonly now?: () => number;
  /** A ledger shared by the nodes of a cluster: true the first time a token is spent anywhere. */
  readonly spendOnce?: (token: string, expiresAtMs: number) => Promise<boolean>;
}

/** Verification never derives a key: a challenge without a key signature is refused before. */
const neverDerive = (): never => {
  throw new TuidangError('internal', 'a solution is checked by its key signature only');
};

const TICKET_LIFETIME_S = 3600;
// Issue time (8 bytes), random (16), binding to client and form (8); then a 16-byte MAC.
const TICKET_BODY = 32;

export class ProofOfWork {
  readonly #challengeSecret: string;
  readonly #keySecret: string;
  readonly #ticketKey: Buffer;
  readonly #opts: PowOptions;
  readonly #n: number;
  readonly #used = new Map<string, number>();
  /** When each client's tickets have ripened up to (by the ticket's binding): they ripen in turn. */
  readonly #ripe = new Map<string, number>();
  #deriving = 0;

  constructor(opts: PowOptions) {
    const derive = (info: string) =>
      Buffer.from(hkdfSync('sha256', opts.seed, new Uint8Array(0), info, 32));
    this.#challengeSecret = derive('tuidang/pow/challenge/v1').toString('base64');
    this.#keySecret = derive('tuidang/pow/key/v1').toString('base64');
    this.#ticketKey = derive('tuidang/pow/ticket/v1');
    this.#opts = opts;
    this.#n = opts.scryptN ?? SCRYPT.N;
  }

  get cost(): number {
    return this.#opts.cost;
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

  /**
   * A new challenge for a submission of `declarants`: its work grows with them and with the load.
   * Issuing derives one key (a few milliseconds off the event loop); past MAX_DERIVING at once it
   * throws `pool-full` (503, try again in a second).
   */
  async challenge(declarants = 1): Promise<Challenge> {
    if (this.#deriving >= MAX_DERIVING)
      throw new TuidangError('pool-full', 'too many proof-of-work challenges are being made');
    const load = Math.min(1, Math.max(0, this.#opts.load?.() ?? 0));
    const max = Math.max(1, Math.round(this.#opts.cost * declarants * (1 + 9 * load)));
    this.#deriving++;
    try {
      return await createChallenge({
        algorithm: SCRYPT.algorithm,
        cost: this.#n,
        memoryCost: SCRYPT.r,
        parallelism: SCRYPT.p,
        keyLength: SCRYPT.keyLength,
        // The solver tries counters from 0: it does counter + 1 evaluations.
        counter: randomInt(Math.floor(max / 2), max),
        // Signed with the challenge: a solution counts for this many declarants, no more.
        data: { declarants },
        deriveKey: scryptKey,
        expiresAt: Math.floor(this.#now() / 1000) + 600,
        hmacSignatureSecret: this.#challengeSecret,
        hmacKeySignatureSecret: this.#keySecret,
      });
    } finally {
      this.#deriving--;
    }
  }

  /** Whether a solved challenge (base64 JSON `{ challenge, solution }`) is valid, unused, and was
   * issued for at least `declarants`. It costs two HMACs at most, never a key derivation. */
  async checkSolution(payload: string | undefined, declarants = 1): Promise<boolean> {
    if (!payload || payload.length > 4096) return false;
    let parsed: { challenge?: Challenge; solution?: { counter: number; derivedKey: string } };
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
    } catch {
      return false;
    }
    // Attacker-controlled: every field is checked before any is trusted.
    const params = parsed?.challenge?.parameters;
    if (!parsed.solution || typeof params !== 'object' || params === null) return false;
    const issuedFor = params.data?.declarants;
    if (typeof issuedFor !== 'number' || issuedFor < declarants) return false;
    // The puzzle this server sets today, and only with a key signature (else altcha-lib would
    // derive the key again: an scrypt evaluation for anyone who asks).
    if (
      params.algorithm !== SCRYPT.algorithm ||
      params.cost !== this.#n ||
      params.memoryCost !== SCRYPT.r ||
      params.parallelism !== SCRYPT.p ||
      params.keyLength !== SCRYPT.keyLength ||
      typeof params.keySignature !== 'string' ||
      typeof params.expiresAt !== 'number' ||
      params.expiresAt * 1000 < this.#now()
    )
      return false;
    const token = `s:${parsed.challenge?.signature}`;
    if (this.#used.has(token)) return false;
    const result = await verifySolution({
      challenge: parsed.challenge as Challenge,
      solution: parsed.solution,
      deriveKey: neverDerive,
      hmacSignatureSecret: this.#challengeSecret,
      hmacKeySignatureSecret: this.#keySecret,
    }).catch(() => undefined);
    if (!result?.verified) return false;
    return this.#once(token, params.expiresAt * 1000);
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
   * The ticket a form sent back by `clientKey` is rendered with again (after a missing field, a
   * send that came too early, a row added): the very ticket it was sent with while that one is
   * authentic, unexpired, issued to this client for this form and not spent, so that its wait
   * keeps counting from the first form the person got; else a fresh one. Its issue time is the
   * one it was sealed with: keeping it buys nothing a client could not do by sending it again.
   */
  keepTicket(sent: string | undefined, clientKey: string, form = 'declare'): string {
    const opened = this.#open(sent);
    return opened && this.#binds(opened, clientKey, form) && !this.#used.has(opened.token)
      ? (sent as string)
      : this.ticket(clientKey, form);
  }

  /**
   * Seconds until `ticket` (authentic, issued to `clientKey` for `form`) may be spent for
   * `declarants`, counting the client's earlier tickets; 0 when it may be spent now. Spends nothing.
   */
  ripensIn(ticket: string, clientKey: string, declarants = 1, form = 'declare'): number {
    const opened = this.#open(ticket);
    if (!opened || !this.#binds(opened, clientKey, form)) return 0;
    return Math.max(0, Math.ceil((this.#ready(opened, declarants) - this.#now()) / 1000));
  }

  /** An authentic, unexpired ticket's parts, or undefined. `ticket` is attacker-controlled. */
  #open(ticket: string | undefined): OpenTicket | undefined {
    const raw = Buffer.from(ticket ?? '', 'base64url');
    if (raw.length !== TICKET_BODY + 16) return undefined;
    const body = raw.subarray(0, TICKET_BODY);
    if (!timingSafeEqual(this.#mac(body), raw.subarray(TICKET_BODY))) return undefined;
    const issued = Number(body.readBigUInt64BE());
    const age = (this.#now() - issued) / 1000;
    if (age > TICKET_LIFETIME_S || age < -5) return undefined;
    return { issued, binding: body.subarray(24), token: `t:${raw.toString('base64')}` };
  }

  #binds(opened: OpenTicket, clientKey: string, form: string): boolean {
    return timingSafeEqual(this.#binding(clientKey, form), opened.binding);
  }

  /** When a ticket ripens for `declarants`: its wait starts when it was issued or when the
   * client's previous ticket ripened, whichever is later (a client's tickets buy time one after
   * another). */
  #ready(opened: OpenTicket, declarants: number): number {
    const previous = this.#ripe.get(opened.binding.toString('base64')) ?? 0;
    return Math.max(opened.issued, previous) + this.#opts.waitSeconds * declarants * 1000;
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
    const opened = this.#open(ticket);
    if (!opened) return { verdict: 'invalid' };
    if (!this.#binds(opened, clientKey, form)) return { verdict: 'moved' };
    if (this.#used.has(opened.token)) return { verdict: 'invalid' };
    const now = this.#now();
    const ready = this.#ready(opened, declarants);
    if (ready > now) return { verdict: 'early', seconds: Math.ceil((ready - now) / 1000) };
    if (this.#ripe.size > 100_000)
      for (const [k, at] of this.#ripe)
        if (at < now - TICKET_LIFETIME_S * 1000) this.#ripe.delete(k);
    // Claimed before the ledger is asked (which may take a round trip): two tickets of one client
    // sent at once cannot both count the same seconds.
    this.#ripe.set(opened.binding.toString('base64'), ready);
    return (await this.#once(opened.token, opened.issued + TICKET_LIFETIME_S * 1000))
      ? { verdict: 'ok' }
      : { verdict: 'invalid' };
  }
}

/** What a ticket holds once its seal is checked. */
interface OpenTicket {
  readonly issued: number;
  /** The 8 bytes binding it to a client and a form (also the key of the client's queue). */
  readonly binding: Buffer;
  /** Its name in the ledger of spent tokens. */
  readonly token: string;
}

export type TicketVerdict =
  | { readonly verdict: 'ok' | 'moved' | 'invalid' }
  | { readonly verdict: 'early'; readonly seconds: number };
