// The log entry: one per declarant, public, and holding nothing that identifies anyone.
// The format is documented byte by byte in docs/log-format.md; change both together, and add a
// version rather than change the meaning of an existing one.
import { TuidangError } from '../errors/index.ts';
import { type Region, regionByte, regionFromByte } from './regions.ts';

export const ENTRY_VERSION = 1;
export const ORGS = ['party', 'league', 'pioneers'] as const;
export type Org = (typeof ORGS)[number];
export const CHANNELS = ['web', 'volunteer', 'phone', 'centre', 'import'] as const;
export type Channel = (typeof CHANNELS)[number];
export const VOID_REASONS = ['flood', 'duplicate', 'test', 'error', 'request'] as const;
export type VoidReason = (typeof VOID_REASONS)[number];

const KIND_DECLARATION = 1;
const KIND_VOID = 2;
const FLAG_GROUP = 0x01;
export const COMMITMENT_SIZE = 32;
export const GROUP_ID_SIZE = 16;
const DAY_MS = 86_400_000;

export interface DeclarationEntry {
  readonly kind: 'declaration';
  /** UTC day, `YYYY-MM-DD`. */
  readonly day: string;
  readonly orgs: readonly Org[];
  readonly channel: Channel;
  readonly region?: Region | undefined;
  /** Shared by the declarants of one submission; absent for a single declarant. */
  readonly groupId?: Uint8Array | undefined;
  readonly commitment: Uint8Array;
}

export interface VoidEntry {
  readonly kind: 'void';
  readonly day: string;
  /** Index of the entry this one voids. */
  readonly target: number;
  readonly reason: VoidReason;
}

export type Entry = DeclarationEntry | VoidEntry;

/** Thrown for bytes that are not a valid entry; entries from a mirror are attacker-controlled. */
export class EntryFormatError extends TuidangError<'malformed-entry'> {
  override name = 'EntryFormatError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('malformed-entry', message, options);
  }
}

// Days repeat across entries (a log spans a few thousand of them): convert each once.
const dayNumbers = new Map<string, number>();
const dayStrings = new Map<number, string>();

export function dayNumber(day: string): number {
  const known = dayNumbers.get(day);
  if (known !== undefined) return known;
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(day) ||
    Number.isNaN(ms) ||
    new Date(ms).toISOString().slice(0, 10) !== day
  ) {
    throw new EntryFormatError(`not a calendar day: ${day}`);
  }
  const n = ms / DAY_MS;
  if (n < 0 || n > 0xffff)
    throw new EntryFormatError(`day ${day} is outside 1970-01-01 … 2149-06-06`);
  dayNumbers.set(day, n);
  return n;
}

export function dayString(n: number): string {
  let s = dayStrings.get(n);
  if (s === undefined) {
    s = new Date(n * DAY_MS).toISOString().slice(0, 10);
    dayStrings.set(n, s);
  }
  return s;
}

/**
 * The first day a declaration can carry: the movement began with the Nine Commentaries, published
 * in November 2004. Together with {@link latestDay} it is the window every verifier enforces on
 * every entry's day (docs/statistics.md, "The day rule").
 */
export const FIRST_DAY = '2004-11-01';

/** The last day an entry may carry, checked on `today`: today, or tomorrow for a clock ahead. */
export function latestDay(today: string): string {
  return dayString(dayNumber(today) + 1);
}

/** Why an entry's day is outside the window a verifier enforces, or undefined if inside. */
export function dayOutsideWindow(day: string, today: string): string | undefined {
  const last = latestDay(today);
  return day < FIRST_DAY || day > last
    ? `its day ${day} is outside ${FIRST_DAY} … ${last}: no declaration or void can be dated so`
    : undefined;
}

/** The UTC day of a time: entries carry the day, never the time. */
export function utcDay(time: Date): string {
  return time.toISOString().slice(0, 10);
}

export function encodeEntry(e: Entry): Uint8Array {
  const day = dayNumber(e.day);
  if (e.kind === 'void') {
    const out = new Uint8Array(13);
    const v = new DataView(out.buffer);
    out[0] = ENTRY_VERSION;
    out[1] = KIND_VOID;
    v.setUint16(2, day);
    out[4] = VOID_REASONS.indexOf(e.reason) + 1;
    v.setBigUint64(5, BigInt(e.target));
    return out;
  }
  const hasGroup = e.groupId !== undefined;
  if (e.commitment.length !== COMMITMENT_SIZE)
    throw new EntryFormatError('commitment must be 32 bytes');
  if (hasGroup && e.groupId.length !== GROUP_ID_SIZE)
    throw new EntryFormatError('group id must be 16 bytes');
  let orgs = 0;
  for (const o of e.orgs) orgs |= 1 << ORGS.indexOf(o);
  if (orgs === 0) throw new EntryFormatError('a declaration names at least one organisation');
  const out = new Uint8Array(8 + (hasGroup ? GROUP_ID_SIZE : 0) + COMMITMENT_SIZE);
  writeDeclarationHead(out, 0, day, orgs, e.channel, regionByte(e.region));
  if (hasGroup) out[7] = FLAG_GROUP;
  if (hasGroup) out.set(e.groupId, 8);
  out.set(e.commitment, out.length - COMMITMENT_SIZE);
  return out;
}

/** Bytes of a declaration without a group id: the header, then the commitment. */
export const DECLARATION_SIZE = 8 + COMMITMENT_SIZE;

/**
 * Writes the 8 header bytes of a declaration without a group id at `out[at]` (encodeEntry sets
 * the group flag after it), from values already checked: the day's number ({@link dayNumber}),
 * the organisations' bits (bit i for `ORGS[i]`, at least one) and the region byte. The commitment
 * goes in the 32 bytes after. An import writes millions of entries into one buffer with this.
 */
export function writeDeclarationHead(
  out: Uint8Array,
  at: number,
  day: number,
  orgBits: number,
  channel: Channel,
  region: number,
): void {
  out[at] = ENTRY_VERSION;
  out[at + 1] = KIND_DECLARATION;
  out[at + 2] = day >> 8;
  out[at + 3] = day & 0xff;
  out[at + 4] = orgBits;
  out[at + 5] = CHANNELS.indexOf(channel) + 1;
  out[at + 6] = region;
  out[at + 7] = 0;
}

/** Decodes an entry strictly: every byte must have its one defined meaning. */
export function decodeEntry(b: Uint8Array): Entry {
  const bad = (why: string) => new EntryFormatError(`malformed entry: ${why}`);
  if (b.length < 2) throw bad('too short');
  if (b[0] !== ENTRY_VERSION) throw bad(`unknown version ${b[0]}`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b[1] === KIND_VOID) {
    if (b.length !== 13) throw bad('a void entry is 13 bytes');
    const reason = VOID_REASONS[(b[4] as number) - 1];
    if (reason === undefined) throw bad(`unknown void reason ${b[4]}`);
    const target = v.getBigUint64(5);
    if (target > BigInt(Number.MAX_SAFE_INTEGER)) throw bad('void target out of range');
    return { kind: 'void', day: dayString(v.getUint16(2)), target: Number(target), reason };
  }
  if (b[1] !== KIND_DECLARATION) throw bad(`unknown kind ${b[1]}`);
  if (b.length < 8) throw bad('too short');
  const flags = b[7] as number;
  if ((flags & ~FLAG_GROUP) !== 0) throw bad('unknown flags');
  const hasGroup = (flags & FLAG_GROUP) !== 0;
  if (b.length !== 8 + (hasGroup ? GROUP_ID_SIZE : 0) + COMMITMENT_SIZE)
    throw bad('wrong length for a declaration');
  const orgBits = b[4] as number;
  if (orgBits === 0 || orgBits > 7) throw bad('organisations must be a non-empty subset of 3');
  const orgs = ORGS.filter((_, i) => orgBits & (1 << i));
  const channel = CHANNELS[(b[5] as number) - 1];
  if (channel === undefined) throw bad(`unknown channel ${b[5]}`);
  const region = regionFromByte(b[6] as number);
  if (b[6] !== 0 && region === undefined) throw bad(`unknown region ${b[6]}`);
  return {
    kind: 'declaration',
    day: dayString(v.getUint16(2)),
    orgs,
    channel,
    region,
    groupId: hasGroup ? new Uint8Array(b.subarray(8, 8 + GROUP_ID_SIZE)) : undefined,
    commitment: new Uint8Array(b.subarray(b.length - COMMITMENT_SIZE)),
  };
}
